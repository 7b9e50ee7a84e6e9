import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where watch mode sets aside the files its rebuilds replace in the live
 * output folder (see `replaceFile` in output-dir.ts), beside that folder as
 * `<out>.replaced-<pid>`: one subfolder per rebuild, removed in the
 * background once the rebuild is done, so that releasing the old files
 * does not lengthen the rebuild. A folder left by a killed process is
 * removed by the next command (recover.ts).
 */
export class SetAsideFolders {
  readonly #base: string;
  #rounds = 0;
  #removing: Promise<void> = Promise.resolve();

  constructor(outDir: string) {
    this.#base = `${path.resolve(outDir)}.replaced-${process.pid}`;
  }

  /** A new empty folder for one rebuild's replaced files, or null when none can be made beside the output (then nothing is set aside). */
  open(): string | null {
    const dir = path.join(this.#base, String(++this.#rounds));
    try {
      mkdirSync(dir, { recursive: true });
      return dir;
    } catch {
      return null;
    }
  }

  /** Removes a rebuild's folder in the background, after those released before it. */
  release(dir: string): void {
    // A folder that cannot be removed costs disk space, not correctness: the next command retries (recover.ts).
    this.#removing = this.#removing.then(() => rm(dir, { recursive: true, force: true })).catch(() => undefined);
  }

  /** Waits for the removals under way, then removes the base folder. */
  async close(): Promise<void> {
    await this.#removing;
    await rm(this.#base, { recursive: true, force: true }).catch(() => undefined);
  }
}
