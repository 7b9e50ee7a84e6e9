import { closeSync, existsSync, fstatSync, ftruncateSync, linkSync, mkdirSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { OutputFile } from '../model/page.js';
import { removeEmptyParents } from './patch.js';
import { SpareFiles } from './set-aside.js';

// Watch mode changes the live output folder one file at a time, each change atomic on its own, so a
// server reading the folder never sees half a file. Synchronous calls reach the disk sooner than
// libuv's thread pool, whose idle threads take long to wake on a busy machine.

/** Where pages go, for a thread that writes them itself (see {@link writePage}). */
export interface PageWrites {
  readonly dir: string;
  /** True for a folder readers see (watch mode's live output): each page is replaced whole, through a rename. */
  readonly atomic: boolean;
  /** With `atomic`, the folder the replaced files are set aside in (see {@link replaceFile}), or null. */
  readonly aside: string | null;
}

/**
 * Writes one page where `to` says.
 *
 * @throws {BroadsheetError} BS401 when it cannot be written.
 */
export function writePage(to: PageWrites, file: OutputFile): void {
  if (to.atomic) replaceFile(to.dir, file, to.aside);
  else writeNewFile(to.dir, file);
}

/**
 * Replaces one file of the output folder through a temporary file and a
 * rename. With `aside`, the file it replaces is first linked into that
 * folder, so the rename does not release the old file's blocks: on this
 * kind of file system releasing them is most of what a replacement costs
 * (docs/performance.md). The temporary file is one this thread set aside
 * in an earlier rebuild when it has one, filled again (write/set-aside.ts).
 * A file system without hard links just skips both.
 *
 * @throws {BroadsheetError} BS401 when it cannot be written.
 */
export function replaceFile(outDir: string, file: OutputFile, aside: string | null = null): void {
  const target = path.join(path.resolve(outDir), file.path);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    if (!aside || !refillSpare(aside, temporary, file.contents)) writeBesideTarget(temporary, file.contents);
    const kept = aside ? setAside(target, aside) : null;
    renameSync(temporary, target);
    if (aside && kept) spares.keep(aside, kept);
  } catch (error) {
    throw new BroadsheetError('BS401', `cannot update ${outDir}: ${(error as Error).message}`, { file: outDir, cause: error });
  }
}

/**
 * Writes one file into a folder no reader sees yet (a staging folder).
 *
 * @throws {BroadsheetError} BS401 when it cannot be written.
 */
export function writeNewFile(dir: string, file: OutputFile): void {
  const target = path.join(dir, file.path);
  try {
    // In a new folder a page's folder is new too: made first, it costs one system call, not a failed write and a retry.
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  } catch (error) {
    throw new BroadsheetError('BS401', `cannot write ${file.path}: ${(error as Error).message}`, { file: dir, cause: error });
  }
}

// Names of the files this thread set aside: unique within a set-aside folder, which every thread of the process shares.
let setAsideCount = 0;
const spares = new SpareFiles();

/** Links the file at `target` into `aside`; returns the link, or null when there was nothing to set aside. */
function setAside(target: string, aside: string): string | null {
  const kept = path.join(aside, `${threadId}-${++setAsideCount}`);
  try {
    linkSync(target, kept);
    return kept;
  } catch {
    // A new page has no old file; a file system without hard links releases the old one in the rename instead.
    return null;
  }
}

/** Writes `contents` to `file` through one of this thread's spare files; false when it has none left that will do. */
function refillSpare(aside: string, file: string, contents: string | Uint8Array): boolean {
  for (let spare = spares.take(aside); spare; spare = spares.take(aside)) {
    const filled = refill(spare, file, contents);
    if (filled === 'no folder') {
      // A new page: the spare is kept for a page that has its folder already.
      spares.giveBack(spare);
      return false;
    }
    if (filled) return true;
  }
  return false;
}

/**
 * Moves a spare file to `file` and writes `contents` over what it held.
 * False when the spare is gone (its folder removed) or linked anywhere
 * else, 'no folder' when `file`'s folder is not there yet: then nothing
 * was written.
 */
function refill(spare: string, file: string, contents: string | Uint8Array): boolean | 'no folder' {
  try {
    renameSync(spare, file);
  } catch {
    return existsSync(path.dirname(file)) ? false : 'no folder';
  }
  let descriptor: number;
  try {
    descriptor = openSync(file, 'r+');
  } catch {
    // A file that cannot be written (made read-only, say) is dropped, and the page written the usual way.
    unlinkSync(file);
    return false;
  }
  try {
    // Only a file nobody else links is written in place: a page of the site is never changed but by a rename.
    if (fstatSync(descriptor).nlink !== 1) {
      unlinkSync(file);
      return false;
    }
    const bytes = typeof contents === 'string' ? Buffer.from(contents) : contents;
    writeFileSync(descriptor, bytes);
    ftruncateSync(descriptor, bytes.byteLength);
    return true;
  } finally {
    closeSync(descriptor);
  }
}

/** Writes a file; its folder is made only when missing (a rewritten page's folder is there, and a recursive mkdir costs a system call per level). */
function writeBesideTarget(file: string, contents: string | Uint8Array): void {
  try {
    writeFileSync(file, contents);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
}

/**
 * Removes files of pages no longer produced, and the folders they leave empty.
 *
 * @throws {BroadsheetError} BS401 when a file cannot be removed.
 */
export async function removeFiles(outDir: string, removed: readonly string[]): Promise<void> {
  const root = path.resolve(outDir);
  try {
    for (const file of removed) {
      await rm(path.join(root, file), { force: true });
      await removeEmptyParents(root, path.dirname(path.join(root, file)));
    }
  } catch (error) {
    throw new BroadsheetError('BS401', `cannot update ${outDir}: ${(error as Error).message}`, { file: outDir, cause: error });
  }
}
