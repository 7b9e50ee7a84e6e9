import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what a full collection found alive,
 * in percent. By default V8 picks a factor of up to 4 when memory looks
 * plentiful; a build makes garbage fast (every rendered page) while its
 * live data grows slowly, so the heap kept several times what it held. At
 * 20 % a large build's peak memory is about halved for the same wall time;
 * collections run more often, mostly on V8's helper threads
 * (docs/performance.md).
 */
export const HEAP_GROWING_PERCENT = 20;

const FLAG = /^--heap[-_]growing[-_]percent(?:=|$)/;

/**
 * Caps the heap's growth for this process and its worker threads, unless
 * the user set the flag themselves (`node --heap-growing-percent=0
 * bin/broadsheet.js …` restores V8's own choice; Node does not accept the
 * flag in NODE_OPTIONS). V8 reads it at every full collection, so setting it
 * at start-up is enough. Returns whether it set it.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((argument) => FLAG.test(argument))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  cappedByUs = true;
  return true;
}

let cappedByUs = false;

/**
 * Gives V8 back its own growth policy, when broadsheet capped it. Watch mode
 * keeps the whole archive alive between edits; under the cap, a few rebuilds'
 * garbage already called for a full collection of all of it, a third of
 * each rebuild's time. The first build,
 * where the peak is, stays capped. A one-shot build of a few content edits
 * is let go too (see `isFewContentEdits` in build/index.ts). Returns whether
 * it changed anything.
 */
export function relaxHeapGrowth(): boolean {
  if (!cappedByUs) return false;
  // 0 is V8's "not set": the growth factor is chosen at each collection again.
  setFlagsFromString('--heap-growing-percent=0');
  cappedByUs = false;
  return true;
}
