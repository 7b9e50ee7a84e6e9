import { readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { OutputFile } from '../render/pages.js';
import { isAlive, writeAll } from './files.js';
import { recoverPatches } from './patch.js';

/**
 * Writes the whole site into a staging folder beside `outDir` and swaps it
 * in only when every file is written, so a failed or interrupted build
 * leaves the previous output as it was.
 *
 * @throws {BroadsheetError} BS401 when the output cannot be written.
 */
export async function writeSite(outDir: string, files: readonly OutputFile[], beforeSwap?: (stagingDir: string) => Promise<void>): Promise<void> {
  const target = path.resolve(outDir);
  const staging = `${target}.staging-${process.pid}`;
  const retired = `${target}.old-${process.pid}`;
  await restoreInterruptedSwap(target);
  await recoverPatches(target);
  await removeAbandoned(target);
  try {
    await rm(staging, { recursive: true, force: true });
    writeAll(staging, files);
    await beforeSwap?.(staging);
    const hadOutput = await exists(target);
    if (hadOutput) await rename(target, retired);
    await rename(staging, target);
    if (hadOutput) await rm(retired, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (error instanceof BroadsheetError) throw error;
    throw new BroadsheetError('BS401', `cannot write the site to ${outDir}: ${(error as Error).message}`, {
      file: outDir,
      cause: error,
    });
  }
}

/**
 * A process killed between the two renames of a swap leaves the previous
 * output under its retired name and no output folder; put it back.
 */
async function restoreInterruptedSwap(target: string): Promise<void> {
  if (await exists(target)) return;
  const parent = path.dirname(target);
  const prefix = `${path.basename(target)}.old-`;
  const siblings = await readdir(parent).catch(() => [] as string[]);
  const retired = siblings.filter((name) => name.startsWith(prefix)).sort();
  const newest = retired.at(-1);
  if (newest) await rename(path.join(parent, newest), target);
}

/**
 * Staging and retired folders left by builds that were killed: their
 * process is gone, so nobody will finish or remove them.
 */
async function removeAbandoned(target: string): Promise<void> {
  const parent = path.dirname(target);
  const pattern = new RegExp(`^${escapeRegExp(path.basename(target))}\\.(?:staging|old)-(\\d+)$`);
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function exists(folder: string): Promise<boolean> {
  try {
    await readdir(folder);
    return true;
  } catch {
    return false;
  }
}
