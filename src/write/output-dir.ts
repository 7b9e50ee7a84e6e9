import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { OutputFile } from '../render/pages.js';
import { removeEmptyParents } from './patch.js';

// An edit in watch mode rewrites a handful of pages. Written synchronously they reach the disk
// sooner than through libuv's thread pool, whose idle threads take long to wake on a busy machine.
const FEW_FILES = 16;

function writeFew(root: string, files: readonly OutputFile[]): void {
  for (const file of files) replaceFile(root, file);
}

/**
 * Replaces one file of the output folder through a temporary file and a
 * rename, synchronously.
 *
 * @throws {BroadsheetError} BS401 when it cannot be written.
 */
export function replaceFile(outDir: string, file: OutputFile): void {
  const target = path.join(path.resolve(outDir), file.path);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(temporary, file.contents);
    renameSync(temporary, target);
  } catch (error) {
    throw new BroadsheetError('BS401', `cannot update ${outDir}: ${(error as Error).message}`, { file: outDir, cause: error });
  }
}

/**
 * Updates files inside an existing output folder, each through a temporary
 * file and a rename, so a server reading the folder never sees half a file.
 * Used by watch mode, where only the pages an edit changed are written.
 *
 * @throws {BroadsheetError} BS401 when a file cannot be written.
 */
export async function updateFiles(outDir: string, files: readonly OutputFile[], removed: readonly string[]): Promise<void> {
  const root = path.resolve(outDir);
  try {
    if (files.length <= FEW_FILES) writeFew(root, files);
    else await Promise.all(
      files.map(async (file) => {
        const target = path.join(root, file.path);
        await mkdir(path.dirname(target), { recursive: true });
        const temporary = `${target}.${process.pid}.tmp`;
        await writeFile(temporary, file.contents);
        await rename(temporary, target);
      }),
    );
    for (const file of removed) {
      await rm(path.join(root, file), { force: true });
      await removeEmptyParents(root, path.dirname(path.join(root, file)));
    }
  } catch (error) {
    throw new BroadsheetError('BS401', `cannot update ${outDir}: ${(error as Error).message}`, { file: outDir, cause: error });
  }
}
