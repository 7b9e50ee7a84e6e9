import { BroadsheetError } from '../diagnostics/error.js';

/**
 * Limits on Markdown nesting. The Markdown tools slow down faster than
 * linearly with depth and walk the tree recursively; no report needs more
 * than a few levels, so text far beyond any real use is refused before
 * parsing, with the line it is on. Shapes this cheap look cannot see are
 * caught by the time budget every file is parsed under (see
 * pipeline/compile/pool.ts and {@link heaviestConstruct}).
 */
const MAX_CONTAINER_PREFIX = 400; // leading spaces, tabs, `>` and list markers: about 200 levels of list or quote
const MAX_MARKER_RUN = 200; // consecutive * _ ~: emphasis nested about 100 deep
const MARKER_RUN = new RegExp(`[*_~]{${MAX_MARKER_RUN},}`);
// What opens a container at the start of a line: indentation, a quote marker, a bullet or a number with a space after it.
// Bullets and numbers count too: `- - - - x` is a list nested four deep on one line.
const CONTAINER_PREFIX = /^(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*/;

/**
 * Checks that no line of `text` nests deeper than the limits.
 *
 * @throws {BroadsheetError} BS208 at the first line that does.
 */
export function checkNesting(text: string, file: string): void {
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    const prefix = CONTAINER_PREFIX.exec(line)?.[0].length ?? 0;
    const run = MARKER_RUN.exec(line);
    if (prefix <= MAX_CONTAINER_PREFIX && !run) continue;
    throw new BroadsheetError('BS208', 'the Markdown is nested too deeply (quotes, lists or emphasis inside each other hundreds of times)', {
      file,
      line: index + 1,
      column: run && prefix <= MAX_CONTAINER_PREFIX ? run.index + 1 : 1,
      hint: 'Nest quotes, lists and emphasis a few levels at most.',
    });
  }
}

// A block with at most this many markers that pair up (emphasis, brackets, backticks) cannot make the
// parser's pairing go quadratic in any way that shows: 64 × 64 steps. A file this small is read in
// linear time, whatever it holds.
const CHEAP_MARKERS_PER_BLOCK = 64;
const CHEAP_LENGTH = 256 * 1024;
const PAIRING_MARKERS = /[*_~[\]<`]/g;

/**
 * True when parsing `text` is bounded by its length: it is short, and no
 * block of it has more than a few markers that the parser must pair up.
 * Such a file may be parsed where no time budget can stop it (the main
 * thread); any other goes to a worker, which can be stopped.
 */
export function isCheapToParse(text: string): boolean {
  if (text.length > CHEAP_LENGTH) return false;
  for (const block of text.split(/\n[ \t]*\n/)) {
    if ((block.match(PAIRING_MARKERS)?.length ?? 0) > CHEAP_MARKERS_PER_BLOCK) return false;
  }
  return true;
}

/** Where parsing a file most likely spent its time, and what is there. */
export interface HeavyConstruct {
  readonly line: number;
  readonly what: string;
}

// Markup characters by the construct they open, for naming what a heavy paragraph is full of.
const CONSTRUCTS: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /[*_~]/g, what: 'emphasis markers (* _ ~)' },
  { pattern: /[[\]]/g, what: 'link brackets ([ ])' },
  { pattern: /[<>]/g, what: 'angle brackets (< >)' },
  { pattern: /`/g, what: 'backticks (`)' },
  { pattern: /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]/gm, what: 'list markers' },
  { pattern: /^[ \t]*>/gm, what: 'quote markers (>)' },
];

/**
 * The start of the block (text between blank lines) with the most markup
 * characters, and what kind they mostly are: the Markdown parser's slow
 * cases are all long runs of unclosed or interleaved markers, so that is
 * where a file that ran out of time most likely got stuck.
 */
export function heaviestConstruct(text: string): HeavyConstruct {
  let best: HeavyConstruct = { line: 1, what: 'markup' };
  let bestCount = -1;
  let line = 1;
  for (const block of text.split(/\n[ \t]*\n/)) {
    const counts = CONSTRUCTS.map(({ pattern }) => block.match(pattern)?.length ?? 0);
    const count = counts.reduce((sum, value) => sum + value, 0);
    if (count > bestCount) {
      bestCount = count;
      const top = counts.indexOf(Math.max(...counts));
      const leading = /^\s*/.exec(block)?.[0].split('\n').length ?? 1;
      best = { line: line + leading - 1, what: CONSTRUCTS[top]?.what ?? 'markup' };
    }
    line += block.split('\n').length + 1;
  }
  return best;
}
