import { errorCodes, type ErrorCode } from './codes.js';

/** A place in a file, 1-based like editors show it. */
export interface Place {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** Options for {@link BroadsheetError}. */
export interface BroadsheetErrorOptions extends Partial<Place> {
  /** Overrides the catalogue hint when the fix is specific to this case. */
  readonly hint?: string;
  /** Warnings are reported but do not fail a build. */
  readonly severity?: 'error' | 'warning';
  readonly cause?: unknown;
}

/**
 * The one error type for problems a user can fix: bad input, bad templates,
 * bad configuration. It always names a code and, where there is one, the
 * file, line and column. Anything else that is thrown is a bug in broadsheet.
 */
export class BroadsheetError extends Error {
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly hint: string;
  readonly severity: 'error' | 'warning';

  constructor(code: ErrorCode, message: string, options: BroadsheetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BroadsheetError';
    this.code = code;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.hint = options.hint ?? errorCodes[code].hint;
    this.severity = options.severity ?? 'error';
  }

  /** A copy of this error placed in `file`, shifted by `lineOffset` lines. */
  relocated(file: string, lineOffset = 0): BroadsheetError {
    return new BroadsheetError(this.code, this.message, {
      file,
      line: this.line === undefined ? undefined : this.line + lineOffset,
      column: this.column,
      hint: this.hint,
      severity: this.severity,
      cause: this.cause,
    });
  }
}

/** True for errors that describe the user's input rather than a bug. */
export function isBroadsheetError(value: unknown): value is BroadsheetError {
  return value instanceof BroadsheetError;
}

/**
 * A collection of errors found in one run. Stages that can find several
 * problems (a whole archive of content files) throw this so the user sees
 * all of them at once.
 */
export class BroadsheetErrors extends Error {
  readonly errors: readonly BroadsheetError[];

  constructor(errors: readonly BroadsheetError[]) {
    super(`${errors.length} problem${errors.length === 1 ? '' : 's'} found`);
    this.name = 'BroadsheetErrors';
    this.errors = errors;
  }
}

/** Flattens whatever a stage threw into a list of user-facing errors, or rethrows a bug. */
export function toBroadsheetErrors(error: unknown): readonly BroadsheetError[] {
  if (error instanceof BroadsheetErrors) return error.errors;
  if (error instanceof BroadsheetError) return [error];
  throw error;
}

/** A BroadsheetError as plain data, to cross from a worker thread to the main one. */
export interface ErrorRecord {
  readonly code: ErrorCode;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint: string;
  readonly severity: 'error' | 'warning';
}

export function toErrorRecord(error: BroadsheetError): ErrorRecord {
  const { code, message, file, line, column, hint, severity } = error;
  return { code, message, file, line, column, hint, severity };
}

export function fromErrorRecord({ code, message, ...options }: ErrorRecord): BroadsheetError {
  return new BroadsheetError(code, message, options);
}
