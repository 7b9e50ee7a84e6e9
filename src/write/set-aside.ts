import { mkdirSync } from 'node:fs';
import { open, readdir, rm } from 'node:fs/promises';
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
  /** This session's rebuild folders, oldest first: the last two. */
  readonly #open: string[] = [];
  #removing: Promise<void> = Promise.resolve();
  #writingOut: Promise<void> = Promise.resolve();
  #closed = false;

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
    const dir = path.join(this.#base, String(++rebuildsInProcess));
    this.#open.push(dir);
    if (this.#open.length > 2) this.#release(this.#open.shift() as string);
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

  /**
   * Writes out to the disk, while the session is idle, the files the last
   * rebuild set aside: the next rebuild fills them with pages and renames
   * them over others (see {@link SpareFiles}). A file written shortly
   * before may not have its disk blocks yet (delayed allocation, as on
   * ext4), and a rename over another file makes the file system give them
   * and start writing it out on the spot, in the rebuild. Written out here
   * first, they cost the next rebuild nothing of the kind; the kernel would
   * have written them within half a minute anyway. Stops, leaving the rest,
   * as soon as `stop` says so (a rebuild wants the machine).
   */
  async writeOutLatest(stop: () => boolean): Promise<void> {
    const latest = this.#open.at(-1);
    if (!latest) return;
    // Like a removal, a file not written out costs time, not correctness.
    const run = (this.#writingOut = this.#writingOut.then(() => writeOut(latest, () => stop() || this.#closed)).catch(() => undefined));
    await run;
  }

  /** Waits for the removals under way, then removes the base folder. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#writingOut;
    await this.#removing;
    await rm(this.#base, { recursive: true, force: true }).catch(() => undefined);
  }
}

// Files written out at once: enough to keep the disk busy, few enough to leave libuv's thread pool to others.
const WRITING_OUT_AT_ONCE = 2;

/** Writes the files in `folder`'s thread subfolders out to the disk, until `stop` says so; a file gone is skipped. */
async function writeOut(folder: string, stop: () => boolean): Promise<void> {
  const files: string[] = [];
  for (const thread of await readdir(folder).catch(() => [] as string[])) {
    for (const name of await readdir(path.join(folder, thread)).catch(() => [] as string[])) files.push(path.join(folder, thread, name));
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let file = files[next++]; file !== undefined && !stop(); file = files[next++]) {
      // A file is only read here: the thread that fills it again writes it whether or not it was written out.
      const handle = await open(file, 'r').catch(() => null);
      if (!handle) continue;
      await handle.datasync().catch(() => undefined);
      await handle.close();
    }
  };
  await Promise.all(Array.from({ length: WRITING_OUT_AT_ONCE }, worker));
}

// Rebuild folders are numbered across the process, not per session: a later session on the same output never
// reuses the name of a folder an earlier one removed, so a thread may take a folder it made as still there.
let rebuildsInProcess = 0;

/** A file set aside, and its size in file-system blocks of 4 kB when it was. */
export interface SpareFile {
  readonly file: string;
  readonly blocks: number;
}

/** How many 4 kB blocks `bytes` bytes take. */
export function blocksOf(bytes: number): number {
  return Math.ceil(bytes / 4096);
}

/**
 * The files one thread set aside, to be filled again with new pages: on
 * this machine's file system, writing into a file that exists costs a
 * fraction of making a new one, and a set-aside file reused is one that
 * never has to be removed (docs/performance.md). A page goes into a spare
 * of its own size in blocks when there is one, so that no block is
 * released or added. Only files set aside in an earlier rebuild are
 * reused, never the current one's: a server that opened the old page just
 * before it was replaced may still be reading it. Each thread keeps its
 * own, so threads never take the same file.
 */
export class SpareFiles {
  /** Each session's spares, by its base folder: a process may run more than one (tests do). */
  readonly #sessions = new Map<string, SessionSpares>();

  /** A spare file for a page of `blocks` blocks in the rebuild whose set-aside folder is `aside`, if this thread has one. */
  take(aside: string, blocks: number): SpareFile | undefined {
    const { usable } = this.#enter(aside);
    const sameSize = usable.get(blocks)?.pop();
    if (sameSize) return sameSize;
    for (const spares of usable.values()) {
      const spare = spares.pop();
      if (spare) return spare;
    }
    return undefined;
  }

  /** Notes a file set aside in the rebuild whose folder is `aside`. */
  keep(aside: string, spare: SpareFile): void {
    this.#enter(aside).keptNow.push(spare);
  }

  #enter(aside: string): SessionSpares {
    const base = path.dirname(aside);
    const session = this.#sessions.get(base);
    if (!session) {
      const started: SessionSpares = { round: aside, keptNow: [], usable: new Map() };
      this.#sessions.set(base, started);
      return started;
    }
    if (session.round !== aside) {
      // The last rebuild's files are spares now; older ones go with their folder (see SetAsideFolders.open),
      // and one taken as its folder is being removed is there whole or not at all.
      session.usable = new Map();
      for (const spare of session.keptNow) session.usable.get(spare.blocks)?.push(spare) ?? session.usable.set(spare.blocks, [spare]);
      session.keptNow = [];
      session.round = aside;
    }
    return session;
  }
}

/** What one thread knows of one session's set-aside files. */
interface SessionSpares {
  /** The set-aside folder of the rebuild this thread last wrote in. */
  round: string;
  /** Files set aside in that rebuild. */
  keptNow: SpareFile[];
  /** Files set aside in earlier rebuilds and not reused yet, by size in blocks. */
  usable: Map<number, SpareFile[]>;
}
