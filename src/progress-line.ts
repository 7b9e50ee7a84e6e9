import type { BuildProgress } from './model/build.js';

/** A line that shows how far a long build has got, rewritten in place. */
export interface ProgressLine {
  readonly update: BuildProgress;
  /** Removes the line, before the build's own summary is printed. */
  clear(): void;
}

const LABELS: Readonly<Record<Parameters<BuildProgress>[0], string>> = { parse: 'parsing', render: 'rendering', search: 'indexing for search' };
// Redrawn at most this often: a terminal that is written to 40,000 times slows the build down.
const REDRAW_MS = 100;

/**
 * A progress line on `stream` when it is a terminal a person watches: none
 * when it is a pipe, a file, a dumb terminal or CI, whose logs want the
 * summary line only.
 */
export function progressLine(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): ProgressLine | null {
  if (!stream.isTTY || env.CI === 'true' || env.TERM === 'dumb') return null;
  let drawnAt = 0;
  let drawnStep: string | null = null;
  let shown = false;
  return {
    update(step, done, total) {
      const now = Date.now();
      // A new step and the end of a step are always drawn; counts in between at most every REDRAW_MS.
      const last = done !== undefined && done === total;
      if (step === drawnStep && !last && now - drawnAt < REDRAW_MS) return;
      drawnAt = now;
      drawnStep = step;
      const count = done !== undefined && total !== undefined ? ` ${done.toLocaleString('en')} of ${total.toLocaleString('en')}` : '…';
      stream.write(`\r\x1b[2K${LABELS[step]}${count}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
