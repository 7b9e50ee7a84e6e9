import { readFileSync } from 'node:fs';
import type { BroadsheetError } from './error.js';

/** Options for {@link formatError}. */
export interface FormatOptions {
  /** The text of the file the error points into, for a code frame. */
  readonly source?: string;
  /** Shows the stack of the error's cause, for bug reports. */
  readonly debug?: boolean;
}

/**
 * Formats an error as `file:line:col  code  message`, a short code frame
 * and the hint, the way compilers print diagnostics, so editors and
 * terminals can link straight to the place.
 */
export function formatError(error: BroadsheetError, options: FormatOptions = {}): string {
  const place = [error.file, error.line, error.line === undefined ? undefined : error.column]
    .filter((part) => part !== undefined)
    .join(':');
  const severity = error.severity === 'warning' ? 'warning: ' : '';
  const lines = [`${place || 'broadsheet'}  ${error.code}  ${severity}${error.message}`];
  if (options.source !== undefined && error.line !== undefined) {
    lines.push(...codeFrame(options.source, error.line, error.column));
  }
  lines.push(`  hint: ${error.hint}`);
  if (options.debug && error.cause instanceof Error && error.cause.stack) {
    lines.push(`  cause: ${error.cause.stack}`);
  }
  return lines.join('\n');
}

/** Up to two lines of context before the line, the line itself and a caret under the column. */
export function codeFrame(source: string, line: number, column: number | undefined): string[] {
  const all = source.split(/\r?\n/);
  const first = Math.max(1, line - 2);
  const width = String(line).length;
  const frame: string[] = [];
  for (let n = first; n <= Math.min(line, all.length); n++) {
    const text = (all[n - 1] ?? '').slice(0, 160);
    frame.push(`  ${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${text}`);
  }
  if (column !== undefined && column > 0 && line <= all.length) {
    frame.push(`    ${' '.repeat(width)} | ${' '.repeat(Math.min(column - 1, 160))}^`);
  }
  return frame;
}

/** A file's text, for the code frame under a problem; undefined when it cannot be read. */
export function sourceOf(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `1 warning`, `3 warnings`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `4,096 KB`. */
export function formatKilobytes(bytes: number): string {
  return `${Math.ceil(bytes / 1024).toLocaleString('en')} KB`;
}
