import { BroadsheetError } from '../diagnostics/error.js';

/**
 * Limits on Markdown nesting. The Markdown tools slow down faster than
 * linearly with depth (a list nested 300 deep takes a second, 1,000 deep a
 * minute) and walk the tree recursively; no report needs more than a few
 * levels, so text far beyond any real use is refused before parsing.
 */
const MAX_CONTAINER_PREFIX = 400; // leading spaces, tabs and `>`: about 200 levels of list or quote
const MAX_MARKER_RUN = 200; // consecutive * _ ~: emphasis nested about 100 deep
const MARKER_RUN = new RegExp(`[*_~]{${MAX_MARKER_RUN},}`);

/**
 * Checks that no line of `text` nests deeper than the limits.
 *
 * @throws {BroadsheetError} BS208 at the first line that does.
 */
export function checkNesting(text: string, file: string): void {
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    const prefix = /^[ \t>]*/.exec(line)?.[0].length ?? 0;
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
