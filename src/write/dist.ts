import { existsSync, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { OutputFile } from '../model/page.js';
import { failpoint } from './failpoint.js';
import { writeInto, writeIntoLater } from './files.js';
import { recoverOutput } from './recover.js';

/**
 * A new output folder being written beside `outDir`, swapped in only when
 * every file is written, so a failed or interrupted build leaves the
 * previous output as it was. Files are written as they are rendered, so a
 * build never holds the whole site in memory.
 */
export class StagedSite {
  readonly #target: string;
  readonly #staging: string;
  /** Writes under way in the thread pool, and the first that failed. */
  #pending = 0;
  #failure: unknown = null;
  #settled: (() => void) | null = null;

  private constructor(target: string) {
    this.#target = target;
    this.#staging = `${target}.staging-${process.pid}`;
  }

  /** Cleans up after builds that were killed, then starts an empty staging folder. */
  static async open(outDir: string): Promise<StagedSite> {
    const site = new StagedSite(path.resolve(outDir));
    try {
      await recoverOutput(site.#target);
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

  /**
   * Writes one file into the staging folder, and calls `written` once it is
   * there. The write runs in the thread pool, so its system calls take the
   * other core while this thread renders the next page; past
   * {@link MAX_PENDING} writes under way it is made here instead, which
   * bounds the pages held in memory.
   */
  write(file: OutputFile, written?: () => void): void {
    if (this.#failure) throw writeError(this.#target, this.#failure);
    if (this.#pending >= MAX_PENDING) {
      try {
        writeInto(this.#staging, file);
      } catch (error) {
        throw writeError(this.#target, error);
      }
      written?.();
      return;
    }
    this.#pending++;
    writeIntoLater(this.#staging, file).then(
      () => {
        if (!this.#failure) written?.();
        this.#settle();
      },
      (error: unknown) => {
        this.#failure ??= error;
        this.#settle();
      },
    );
  }

  #settle(): void {
    this.#pending--;
    if (this.#pending === 0) this.#settled?.();
  }

  /** Resolves when every write is done; throws the first that failed. */
  async flush(): Promise<void> {
    if (this.#pending > 0) await new Promise<void>((resolve) => (this.#settled = resolve));
    this.#settled = null;
    if (this.#failure) throw writeError(this.#target, this.#failure);
  }

  /** Swaps the staging folder in for the output folder. */
  async commit(beforeSwap?: (stagingDir: string) => Promise<void>): Promise<void> {
    const retired = `${this.#target}.old-${process.pid}`;
    try {
      await this.flush();
      await beforeSwap?.(this.#staging);
      const hadOutput = existsSync(this.#target);
      // Between these two renames the output folder is absent for an instant; a kill right there
      // leaves it under its retired name, and the next command puts it back (see recover.ts).
      if (hadOutput) await rename(this.#target, retired);
      failpoint('swap', 1);
      await rename(this.#staging, this.#target);
      if (hadOutput) await rm(retired, { recursive: true, force: true });
    } catch (error) {
      // The previous output goes back if the new one did not take its place; should that fail too, the
      // next command puts it back once this process has ended (see recover.ts).
      if (!existsSync(this.#target) && existsSync(retired)) await rename(retired, this.#target).catch(() => undefined);
      await this.abandon();
      throw writeError(this.#target, error);
    }
  }

  /** Removes the staging folder; the output folder stays as it was. */
  async abandon(): Promise<void> {
    // The writes under way finish first, or they would make folders again in the one removed; whether
    // they failed does not matter, as all of it goes.
    await this.flush().catch(() => undefined);
    await rm(this.#staging, { recursive: true, force: true });
  }
}

// Writes under way at once at most: enough to keep the thread pool busy, few enough to bound memory.
const MAX_PENDING = 256;

function writeError(outDir: string, error: unknown): BroadsheetError {
  if (error instanceof BroadsheetError) return error;
  return new BroadsheetError('BS401', `cannot write the site to ${outDir}: ${(error as Error).message}`, { file: outDir, cause: error });
}
