import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import { isAlive } from './files.js';
import { recoverOutput } from './recover.js';
import type { LockHolder, Writer } from '../model/build.js';

/** A held lock on an output folder; release it when done. */
export interface OutputLock {
  release(): void;
}

// How often a waiting build looks whether the lock is free.
const POLL_MS = 100;

/**
 * Takes the lock on an output folder (`dist.lock` beside it), so that two
 * broadsheet processes never write one folder at once. A lock whose process
 * is gone (killed) is taken over. A one-shot build waits for another build
 * to end (`onWait` is told once whom it waits for); a watch session holds
 * its lock until it ends, so a build is refused meanwhile, and so is a
 * second session.
 *
 * @throws {BroadsheetError} BS404 when a watch session holds the folder, or when `writer` is one and another process does.
 */
export async function lockOutput(outDir: string, writer: Writer, onWait?: (holder: LockHolder) => void): Promise<OutputLock> {
  const file = lockFile(outDir);
  let told = false;
  for (;;) {
    if (tryCreate(file, writer)) return { release: () => releaseLock(file) };
    const holder = readHolder(file);
    if (holder === null || !isAlive(holder.pid)) {
      removeStale(file, holder);
      continue;
    }
    if (holder.writer !== 'build' || writer !== 'build') throw busy(outDir, file, holder);
    if (!told) onWait?.(holder);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function lockFile(outDir: string): string {
  return `${path.resolve(outDir)}.lock`;
}

function tryCreate(file: string, writer: Writer): boolean {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ pid: process.pid, writer }), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // A place that cannot be written at all: the build's own write says so, with its hint.
    return true;
  }
}

/**
 * Puts the output folder in order after killed builds (see recover.ts), but
 * only if no living process holds it: a command that only reads (`check`,
 * `serve`) must not undo the patch of a build that is still writing.
 */
export async function recoverIfFree(outDir: string): Promise<void> {
  const file = lockFile(outDir);
  const holder = readHolder(file);
  if (holder !== null && isAlive(holder.pid)) return;
  if (holder !== null) removeStale(file, holder);
  if (!existsSync(path.dirname(file)) || !tryCreate(file, 'build')) return;
  try {
    await recoverOutput(outDir);
  } finally {
    releaseLock(file);
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof holder.pid === 'number' && (holder.writer === 'build' || holder.writer === 'watch' || holder.writer === 'dev') ? { pid: holder.pid, writer: holder.writer } : null;
  } catch {
    return null;
  }
}

/** Removes a lock left by a process that is gone, unless another has taken it over meanwhile. */
function removeStale(file: string, seen: LockHolder | null): void {
  const now = readHolder(file);
  if (now !== null && seen !== null && now.pid !== seen.pid) return;
  rmSync(file, { force: true });
}

function releaseLock(file: string): void {
  if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
}

function busy(outDir: string, file: string, holder: LockHolder): BroadsheetError {
  const who = holder.writer === 'build' ? 'a build' : `broadsheet ${holder.writer}`;
  return new BroadsheetError('BS404', `${who} (process ${holder.pid}) is writing to ${outDir}`, {
    file: outDir,
    hint: `Stop it first, or write elsewhere with --out. If no such process runs, remove ${path.basename(file)}.`,
  });
}
