import { mkdirSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { OutputFile } from '../render/pages.js';
import { isAlive, writeInto } from './files.js';
import { recoverPatches } from './patch.js';

/**
 * A new output folder being written beside `outDir`, swapped in only when
 * every file is written, so a failed or interrupted build leaves the
 * previous output as it was. Files are written as they are rendered, so a
 * build never holds the whole site in memory.
 */
export class StagedSite {
  readonly #target: string;
  readonly #staging: string;

  private constructor(target: string) {
    this.#target = target;
    this.#staging = `${target}.staging-${process.pid}`;
  }

  /** Cleans up after builds that were killed, then starts an empty staging folder. */
  static async open(outDir: string): Promise<StagedSite> {
    const site = new StagedSite(path.resolve(outDir));
    try {
      await restoreInterruptedSwap(site.#target);
      await recoverPatches(site.#target);
      await removeAbandoned(site.#target);
      await rm(site.#staging, { recursive: true, force: true });
      mkdirSync(site.#staging, { recursive: true });
    } catch (error) {
      throw writeError(outDir, error);
    }
    return site;
  }

  get dir(): string {
    return this.#staging;
  }

  /** Writes one file into the staging folder (synchronously: see files.ts). */
  write(file: OutputFile): void {
    try {
      writeInto(this.#staging, file);
    } catch (error) {
      throw writeError(this.#target, error);
    }
  }

  /** Swaps the staging folder in for the output folder. */
  async commit(beforeSwap?: (stagingDir: string) => Promise<void>): Promise<void> {
    const retired = `${this.#target}.old-${process.pid}`;
    try {
      await beforeSwap?.(this.#staging);
      const hadOutput = await exists(this.#target);
      if (hadOutput) await rename(this.#target, retired);
      await rename(this.#staging, this.#target);
      if (hadOutput) await rm(retired, { recursive: true, force: true });
    } catch (error) {
      await this.abandon();
      throw writeError(this.#target, error);
    }
  }

  /** Removes the staging folder; the output folder stays as it was. */
  async abandon(): Promise<void> {
    await rm(this.#staging, { recursive: true, force: true });
  }
}

/**
 * Writes the whole site at once through a {@link StagedSite}.
 *
 * @throws {BroadsheetError} BS401 when the output cannot be written.
 */
export async function writeSite(outDir: string, files: readonly OutputFile[], beforeSwap?: (stagingDir: string) => Promise<void>): Promise<void> {
  const site = await StagedSite.open(outDir);
  try {
    for (const file of files) site.write(file);
  } catch (error) {
    await site.abandon();
    throw error;
  }
  await site.commit(beforeSwap);
}

function writeError(outDir: string, error: unknown): BroadsheetError {
  if (error instanceof BroadsheetError) return error;
  return new BroadsheetError('BS401', `cannot write the site to ${outDir}: ${(error as Error).message}`, { file: outDir, cause: error });
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
