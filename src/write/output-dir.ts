import { linkSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { OutputFile } from '../model/page.js';
import { removeEmptyParents } from './patch.js';

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
 * (docs/performance.md), and the folder is removed once the rebuild is done
 * (write/set-aside.ts). A file system without hard links just skips that.
 *
 * @throws {BroadsheetError} BS401 when it cannot be written.
 */
export function replaceFile(outDir: string, file: OutputFile, aside: string | null = null): void {
  const target = path.join(path.resolve(outDir), file.path);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    writeBesideTarget(temporary, file.contents);
    if (aside) setAside(target, aside);
    renameSync(temporary, target);
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

function setAside(target: string, aside: string): void {
  try {
    linkSync(target, path.join(aside, `${threadId}-${++setAsideCount}`));
  } catch {
    // A new page has no old file; a file system without hard links releases the old one in the rename instead.
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
