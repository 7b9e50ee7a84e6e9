import YAML, { isMap, isScalar, LineCounter, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { BroadsheetError } from '../diagnostics/error.js';
import type { ErrorCode } from '../diagnostics/codes.js';

// Enough for any reasonable reuse of an anchor, far too few for an exponential expansion.
const MAX_ALIAS_COUNT = 50;

/** A YAML document and a way to find where a value was written, for error messages. */
export interface PlacedYaml {
  readonly value: unknown;
  /** The 1-based line and column of the value (or key) at `path`. */
  locate(path: readonly PropertyKey[], key?: boolean): { line: number; column: number };
}

/**
 * Parses YAML text that starts at line `firstLine` of `file`, keeping a map
 * back to positions so that schema errors can point at the offending field.
 *
 * @throws {BroadsheetError} `syntaxCode` with the line and column of the first syntax error.
 */
export function parsePlacedYaml(text: string, file: string, firstLine: number, syntaxCode: ErrorCode): PlacedYaml {
  const lineCounter = new LineCounter();
  const document = YAML.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [syntax] = document.errors;
  if (syntax) {
    const position = lineCounter.linePos(syntax.pos[0]);
    throw new BroadsheetError(syntaxCode, `YAML: ${firstSentence(syntax.message)}`, {
      file,
      line: position.line + firstLine - 1,
      column: position.col,
    });
  }
  const offsetToPlace = (offset: number): { line: number; column: number } => {
    const position = lineCounter.linePos(offset);
    return { line: position.line + firstLine - 1, column: position.col };
  };
  let value: unknown;
  try {
    // Aliases are expanded here; the library refuses an "alias bomb" that would expand without bound.
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new BroadsheetError(syntaxCode, `YAML: ${firstSentence((error as Error).message)}`, {
      file,
      line: firstLine,
      column: 1,
      hint: 'Front matter and configuration need no YAML anchors or aliases (& and *); write the values out.',
    });
  }
  return {
    value,
    locate: (path, key = false) => offsetToPlace(rangeStart(document, path, key)),
  };
}

function rangeStart(document: Document, path: readonly PropertyKey[], key: boolean): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const partial = path.slice(0, depth);
    if (key && depth === path.length && partial.length > 0) {
      const parent = document.getIn(partial.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === partial.at(-1));
        const start = (pair?.key as YamlNode | undefined)?.range?.[0];
        if (start !== undefined) return start;
      }
    }
    const node = partial.length === 0 ? document.contents : document.getIn(partial, true);
    const start = (node as YamlNode | null | undefined)?.range?.[0];
    if (start !== undefined) return start;
  }
  return 0;
}

function firstSentence(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Turns schema validation issues into errors placed at the field they are
 * about, using `codeFor` to pick the error code for each kind of issue.
 */
export function schemaErrors(
  issues: readonly z.core.$ZodIssue[],
  yaml: PlacedYaml,
  file: string,
  describe: (issue: z.core.$ZodIssue) => { code: ErrorCode; message: string },
): BroadsheetError[] {
  return issues.flatMap((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((unknownKey) => {
      const path = unknownKey === undefined ? issue.path : [...issue.path, unknownKey];
      const single = issue.code === 'unrecognized_keys' && unknownKey !== undefined ? { ...issue, keys: [unknownKey] } : issue;
      const { code, message } = describe(single);
      return new BroadsheetError(code, message, { file, ...yaml.locate(path, unknownKey !== undefined) });
    });
  });
}

/** `byline[0].name` from a path, for messages. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)),
    '',
  );
}
