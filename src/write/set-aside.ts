import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where watch mode sets aside the files its rebuilds replace in the live
 * output folder (see `replaceFile` in output-dir.ts), beside that folder as
 * `<out>.replaced-<pid>`: one subfolder per rebuild. The next rebuild fills
 * those files again with new pages instead of making new ones (see
 * {@link SpareFiles}); a rebuild's folder is removed in the background when
 * the one after the next opens, and the whole base when the session ends.
 * A folder left by a killed process is removed by the next command
 * (recover.ts).
 */
export class SetAsideFolders {
  readonly #base: string;
  #rounds = 0;
  #removing: Promise<void> = Promise.resolve();

  constructor(outDir: string) {
    this.#base = `${path.resolve(outDir)}.replaced-${process.pid}`;
  }

  /**
   * A new empty folder for one rebuild's replaced files, or null when none
   * can be made beside the output (then nothing is set aside). The folder
   * of the rebuild before the last goes: the last one's files are this
   * rebuild's spares.
   */
  open(): string | null {
    const round = ++this.#rounds;
    if (round > 2) this.#release(path.join(this.#base, String(round - 2)));
    const dir = path.join(this.#base, String(round));
    try {
      mkdirSync(dir, { recursive: true });
      return dir;
    } catch {
      return null;
    }
  }

  /** Removes a rebuild's folder in the background, after those released before it. */
  #release(dir: string): void {
    // A folder that cannot be removed costs disk space, not correctness: the next command retries (recover.ts).
    this.#removing = this.#removing.then(() => rm(dir, { recursive: true, force: true })).catch(() => undefined);
  }

  /** Waits for the removals under way, then removes the base folder. */
  async close(): Promise<void> {
    await this.#removing;
    await rm(this.#base, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * The files one thread set aside, to be filled again with new pages: on
 * this machine's file system, writing into a file that exists costs a
 * fraction of making a new one, and a set-aside file reused is one that
 * never has to be removed (docs/performance.md). Only files set aside in
 * an earlier rebuild are reused, never the current one's: a server that
 * opened the old page just before it was replaced may still be reading it.
 * Each thread keeps its own, so threads never take the same file.
 */
export class SpareFiles {
  /** The set-aside folder of the rebuild this thread last wrote in. */
  #round: string | null = null;
  /** Files set aside in that rebuild. */
  #keptNow: string[] = [];
  /** Files set aside in earlier rebuilds, not reused yet. */
  #usable: string[] = [];

  /** A spare file for a page of the rebuild whose set-aside folder is `aside`, if this thread has one. */
  take(aside: string): string | undefined {
    this.#enter(aside);
    return this.#usable.pop();
  }

  /** Puts back a spare that was taken but not used. */
  giveBack(file: string): void {
    this.#usable.push(file);
  }

  /** Notes a file set aside in the rebuild whose folder is `aside`. */
  keep(aside: string, file: string): void {
    this.#enter(aside);
    this.#keptNow.push(file);
  }

  #enter(aside: string): void {
    if (aside === this.#round) return;
    // The last rebuild's files are spares now; older ones go with their folder (see SetAsideFolders.open),
    // and one taken as its folder is being removed is taken or missing, never half there.
    this.#usable = this.#keptNow;
    this.#keptNow = [];
    this.#round = aside;
  }
}
