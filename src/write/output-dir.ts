import { closeSync, existsSync, fstatSync, ftruncateSync, linkSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { OutputFile } from '../model/page.js';
import { utf8Scratch } from '../text/utf8.js';
import { removeEmptyParents } from './patch.js';
import { blocksOf, SpareFiles, type SpareFile } from './set-aside.js';

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
 * (docs/performance.md). When this thread has a file set aside in an
 * earlier rebuild, the page is written into that file where it lies and
 * the file renamed over the page, instead of a new temporary file
 * (write/set-aside.ts). A file system without hard links just skips both.
 *
 * @throws {BroadsheetError} BS401 when it cannot be written.
 */
export function replaceFile(outDir: string, file: OutputFile, aside: string | null = null): void {
  const target = path.join(path.resolve(outDir), file.path);
  try {
    const bytes = typeof file.contents === 'string' ? utf8Scratch(file.contents) : file.contents;
    if (!aside) {
      replaceThrough(`${target}.${process.pid}.tmp`, target, bytes);
      return;
    }
    const spare = refillSpare(aside, bytes);
    const kept = setAside(target, aside, bytes.byteLength);
    if (!spare || !moveInto(spare.file, target)) replaceThrough(`${target}.${process.pid}.tmp`, target, bytes);
    if (kept) spares.keep(aside, kept);
  } catch (error) {
    // Named here: a write through a spare's descriptor fails with a message that names no file.
    throw new BroadsheetError('BS401', `cannot update ${file.path} in ${outDir}: ${(error as Error).message}`, { file: target, cause: error });
  }
}

/** Writes `contents` into a new file at `temporary`, then renames it over `target`. */
function replaceThrough(temporary: string, target: string, contents: string | Uint8Array): void {
  writeBesideTarget(temporary, contents);
  renameSync(temporary, target);
}

/**
 * Renames a filled spare over `target`, making `target`'s folder when it is
 * new; false when the spare is gone (removed with an old rebuild's folder
 * while it was being filled).
 */
function moveInto(spare: string, target: string): boolean {
  try {
    renameSync(spare, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync(spare)) return false;
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(spare, target);
    return true;
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
    writeFileSync(target, typeof file.contents === 'string' ? utf8Scratch(file.contents) : file.contents);
  } catch (error) {
    throw new BroadsheetError('BS401', `cannot write ${file.path}: ${(error as Error).message}`, { file: dir, cause: error });
  }
}

// Names of the files this thread set aside, unique within its own subfolder of a rebuild's set-aside folder.
let setAsideCount = 0;
// The subfolder this thread last made, so that it is made once per rebuild.
let threadAside: { readonly aside: string; readonly dir: string } | null = null;
const spares = new SpareFiles();

/**
 * Links the file at `target` into this thread's subfolder of `aside`;
 * returns the link, or null when there was nothing to set aside. Each
 * thread links into a folder of its own: two threads adding names to one
 * folder wait on its lock, and a template edit adds thousands. The old page
 * is taken to be about the size of the new one, `bytes` (a rebuild changes
 * pages little), which saves asking the file system.
 */
function setAside(target: string, aside: string, bytes: number): SpareFile | null {
  try {
    const file = path.join(threadFolder(aside), String(++setAsideCount));
    linkSync(target, file);
    return { file, blocks: blocksOf(bytes) };
  } catch {
    // A new page has no old file; a file system without hard links releases the old one in the rename instead.
    return null;
  }
}

/**
 * This thread's subfolder of the set-aside folder `aside`, made the first
 * time it is asked for: a rebuild's folder is never named again in the
 * process (set-aside.ts), so one made is one still there.
 */
function threadFolder(aside: string): string {
  if (threadAside?.aside !== aside) {
    const dir = path.join(aside, `thread-${threadId}`);
    mkdirSync(dir, { recursive: true });
    threadAside = { aside, dir };
  }
  return threadAside.dir;
}

/** Writes `bytes` over one of this thread's spare files, where it lies; that spare, or null when none will do. */
function refillSpare(aside: string, bytes: Uint8Array): SpareFile | null {
  const blocks = blocksOf(bytes.byteLength);
  for (let spare = spares.take(aside, blocks); spare; spare = spares.take(aside, blocks)) {
    if (refill(spare.file, bytes)) return spare;
  }
  return null;
}

/**
 * Writes `bytes` over what the file held. False when it is gone (its
 * folder removed), cannot be written or is linked anywhere else: then it
 * was left as it was.
 */
function refill(file: string, bytes: Uint8Array): boolean {
  let descriptor: number;
  try {
    descriptor = openSync(file, 'r+');
  } catch {
    return false;
  }
  try {
    // Only a file nobody else links is written in place: a page of the site is never changed but by a rename.
    const { nlink, size } = fstatSync(descriptor);
    if (nlink !== 1) return false;
    writeFileSync(descriptor, bytes);
    // Cutting a file releases its blocks past the new end, which is slow here: only a longer file is cut.
    if (bytes.byteLength < size) ftruncateSync(descriptor, bytes.byteLength);
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
