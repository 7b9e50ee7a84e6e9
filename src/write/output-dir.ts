import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { OutputFile } from '../model/page.js';
import { removeEmptyParents } from './patch.js';

// Watch mode changes the live output folder one file at a time, each change atomic on its own, so a
// server reading the folder never sees half a file. Synchronous calls reach the disk sooner than
// libuv's thread pool, whose idle threads take long to wake on a busy machine.

/**
 * Replaces one file of the output folder through a temporary file and a rename.
 *
 * @throws {BroadsheetError} BS401 when it cannot be written.
 */
export function replaceFile(outDir: string, file: OutputFile): void {
  const target = path.join(path.resolve(outDir), file.path);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    writeBesideTarget(temporary, file.contents);
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
