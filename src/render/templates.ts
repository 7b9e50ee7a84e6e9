import { readFileSync } from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { BroadsheetError } from '../diagnostics/error.js';
import { layeredFiles, type TemplateLayers } from '../load/template-layers.js';
import { installFrameNamePaths } from './nunjucks-frames.js';

installFrameNamePaths();

/** A template file by its name: the Nunjucks files, not catalogues or assets. */
export function isTemplate(name: string): boolean {
  return name.endsWith('.njk') && !name.startsWith('assets/') && !name.startsWith('i18n/');
}

/** Renders a named template with a context; throws placed errors. */
export interface TemplateRenderer {
  render(name: string, context: Readonly<Record<string, unknown>>): string;
  /** Compiles a template without rendering it. */
  compile(name: string): void;
  /** Drops the compiled templates of these names: the next render reads and compiles them again. */
  forget(names: Iterable<string>): void;
}

/**
 * Creates the Nunjucks environment for the template layers (the project's
 * folder first, then the built-in templates: see load/template-layers.ts):
 * autoescaping on (content and catalogue text are text, never markup),
 * undefined values render as empty, and errors name the template file and line.
 */
export function createTemplateRenderer(layers: TemplateLayers): TemplateRenderer {
  const templatesDir = layers.folders[0] ?? '.';
  // Templates do not change during a build; the cache also lets compile-checked templates be reused.
  const loader = new nunjucks.FileSystemLoader([...layers.folders], { noCache: false });
  // `dev` keeps the original error as `cause` instead of flattening it to a message.
  const environment = new nunjucks.Environment(loader, {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
    dev: true,
  });
  // The parallel view shows one block twice; only one copy may keep the anchor id.
  environment.addFilter('withoutId', (html: unknown) => String(html).replace(/^(<[a-z0-9]+)\s+id="[^"]*"/i, '$1'));
  return {
    render(name, context) {
      try {
        return environment.render(name, context);
      } catch (error) {
        throw toTemplateError(error, templatesDir, name, 'render');
      }
    },
    compile(name) {
      try {
        environment.getTemplate(name, true);
      } catch (error) {
        throw toTemplateError(error, templatesDir, name, 'compile');
      }
    },
    forget(names) {
      // What Nunjucks itself does when a watching loader reports a template updated.
      for (const name of names) loader.emit('update', name, name);
    },
  };
}

/**
 * Compiles every `.njk` template of the layers, so syntax errors are all
 * reported up front, each with its file and line. (Nunjucks would otherwise
 * raise a syntax error in an included template asynchronously, outside any
 * try/catch.)
 */
export async function compileAllTemplates(renderer: TemplateRenderer, layers: TemplateLayers): Promise<BroadsheetError[]> {
  const names = [...(await layeredFiles(layers, '', isTemplate)).keys()];
  const errors: BroadsheetError[] = [];
  for (const name of names) {
    try {
      renderer.compile(name);
    } catch (error) {
      if (error instanceof BroadsheetError) errors.push(error);
      else throw error;
    }
  }
  return errors;
}

/**
 * Nunjucks reports `(file) [Line n, Column m]` inside its message text;
 * this turns that into a placed BroadsheetError. Errors thrown by our own
 * helpers (a missing catalogue key) pass through with the template's place added;
 * content problems (BS2xx) keep the content file's place.
 */
function toTemplateError(error: unknown, templatesDir: string, name: string, stage: 'compile' | 'render'): BroadsheetError {
  const cause = error instanceof Error ? error : new Error(String(error));
  const inner = findBroadsheetError(cause);
  // An error in an included template is reported once per enclosing template; the last place is the innermost.
  const places = [...cause.message.matchAll(/\(([^()\n]+)\)(?: \[Line (\d+)(?:, Column (\d+))?\])?/g)];
  const innermost = places.filter((match) => match[1] !== 'unknown path').at(-1);
  const templateFile = innermost?.[1] ?? path.join(templatesDir, name);
  // The parser reports 1-based lines; the runtime reports 0-based ones and omits line 0.
  const reportedLine = innermost?.[2] === undefined ? undefined : Number(innermost[2]);
  const line = stage === 'compile' ? reportedLine : (reportedLine ?? 0) + 1;
  const place = {
    file: path.relative(process.cwd(), path.resolve(templateFile)) || templateFile,
    line,
    column: innermost?.[3] ? Number(innermost[3]) : undefined,
  };
  // A content problem (BS2xx: a body read back from its file while the page rendered) is reported at
  // the content file; a helper's problem (a missing catalogue key) at the template line that called it.
  if (inner?.code.startsWith('BS2')) return inner;
  if (inner) return new BroadsheetError(inner.code, inner.message, { ...place, hint: inner.hint, cause });
  const lines = cause.message.split('\n').map((line) => line.trim());
  const message = (lines.filter((line) => line && !line.startsWith('Template render error') && !/^\([^)]*\)/.test(line)).at(-1) ?? lines.at(-1) ?? '').replace(/^Error:\s*/, '');
  const missing = /template not found: (\S+)/i.exec(message)?.[1];
  if (missing) return new BroadsheetError('BS301', message, { ...place, ...findInFile(templateFile, `["']${escapeRegExp(missing)}["']`), cause });
  const filter = /filter not found: (\w+)/i.exec(message)?.[1];
  if (filter) return new BroadsheetError('BS302', message, { ...place, ...findInFile(templateFile, `\\|\\s*${filter}\\b`), cause });
  const code = /unexpected|expected|parse|unknown block|unknown filter|filter not found/i.test(message) ? 'BS302' : 'BS303';
  return new BroadsheetError(code, message, { ...place, cause });
}

/** The first place in a template file matching a pattern; Nunjucks gives no line for some errors. */
function findInFile(file: string, pattern: string): { line?: number; column?: number } {
  try {
    const lines = readFileSync(file, 'utf8').split('\n');
    const regex = new RegExp(pattern);
    for (const [index, text] of lines.entries()) {
      const match = regex.exec(text);
      if (match) return { line: index + 1, column: match.index + 1 };
    }
  } catch {
    // The file is gone or unreadable: the error still names it.
  }
  return {};
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Nunjucks wraps errors thrown inside templates; the original travels as a property.
function findBroadsheetError(error: Error): BroadsheetError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof BroadsheetError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
