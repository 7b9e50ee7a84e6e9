import type { OutputFile } from '../model/page.js';
import { StagedSite } from './dist.js';
import { removeFiles, replaceFile, type PageWrites } from './output-dir.js';
import type { SetAsideFolders } from './set-aside.js';
import { applyPatch } from './patch.js';

/**
 * Where a build's files go. The pipeline hands every changed file to one
 * sink and finishes it once; how the files reach the output folder is the
 * sink's business:
 *
 * - {@link stagedSink}, a first build: each file into a staging folder as
 *   it is rendered, the folder swapped in whole at the end;
 * - {@link patchSink}, a one-shot rebuild: the changed files collected and
 *   applied as one patch that a kill cannot leave half done (patch.ts);
 * - {@link liveSink}, watch mode: each file replaced in the live folder as
 *   soon as it is rendered, each replacement atomic on its own;
 * - {@link discardSink}, `broadsheet check`: nothing written.
 */
export interface OutputSink {
  /** True while a process that follows the written pages (Pagefind) waits for the event loop to turn. */
  readonly waiting: boolean;
  /** Takes one changed file; `indexable` is the URL of an article page, for search. */
  put(file: OutputFile, indexable?: string): void;
  /** Completes the write: removes `deleted` and writes the search bundles with the pages, where this sink can. */
  finish(deleted: readonly string[], index: IndexWriter | null): Promise<void>;
  /** Drops what was staged, after a failed build; the output folder stays as it was. */
  abandon(): Promise<void>;
  /** Where other threads may write changed files themselves, or null when only `put` may. */
  readonly direct: DirectWrites | null;
}

/**
 * Files another thread writes itself (see `writePage` in output-dir.ts) and
 * reports to the sink with `written` once they are on disk.
 */
export interface DirectWrites extends PageWrites {
  written(indexable?: string): void;
  /** Called before another thread is given files to write, when the sink must know first. */
  willWrite?(): void;
}

/** The search index, written by the pipeline at the moment a sink chooses. */
export interface IndexWriter {
  /** Bundles into a folder that is about to replace or patch the live one; `siteDir` has the pages this build did not write. */
  into(newDir: string, siteDir: string): Promise<{ readonly writes: readonly string[]; readonly deletes: readonly string[] }>;
  /** Bundles into the live folder, each bundle swapped in whole. */
  inPlace(siteDir: string): Promise<void>;
}

/** Something that works on article pages as soon as they are in the staging folder (search indexing while the rest renders). */
export interface PageFollower {
  readonly busy: boolean;
  written(url: string): void;
  cancel(): Promise<void>;
}

export async function stagedSink(outDir: string, follow?: (stagingDir: string) => PageFollower | null): Promise<OutputSink> {
  const staged = await StagedSite.open(outDir);
  const follower = follow?.(staged.dir) ?? null;
  return {
    get waiting() {
      return follower?.busy ?? false;
    },
    // A page is handed to the follower once it is on disk, as the follower reads it there.
    put: (file, indexable) => staged.write(file, indexable && follower ? () => follower.written(indexable) : undefined),
    direct: { dir: staged.dir, atomic: false, aside: null, written: (indexable) => indexable && follower?.written(indexable) },
    // A first build has nothing to delete; the search bundles are built inside the staging folder, so they are swapped in with the pages.
    finish: (_deleted, index) => staged.commit(index ? async (dir) => void (await index.into(dir, dir)) : undefined),
    async abandon() {
      // The writes under way end first: each may still hand a page to the follower.
      await staged.abandon();
      // Pagefind's process would otherwise outlive the failed build.
      await follower?.cancel();
    },
  };
}

export function patchSink(outDir: string): OutputSink {
  const files: OutputFile[] = [];
  return {
    waiting: false,
    put: (file) => void files.push(file),
    // A patch is applied whole at the end, by this thread.
    direct: null,
    // The changed bundles join the patch, so pages and index change together or not at all.
    finish: (deleted, index) => applyPatch(outDir, files, deleted, index ? (newDir) => index.into(newDir, outDir) : undefined),
    abandon: async () => undefined,
  };
}

/**
 * `setAside`, when given, takes the files the pages replace, to be filled
 * again by the next rebuild (see `replaceFile`). `beforeFirstWrite` is
 * called once, before the first file is replaced or removed (or handed to
 * another thread to write): a build that changes nothing leaves the folder,
 * and whatever describes it, as they were.
 */
export function liveSink(outDir: string, setAside?: SetAsideFolders, beforeFirstWrite?: () => void): OutputSink {
  const aside = setAside?.open() ?? null;
  let claimed = false;
  const claim = (): void => {
    if (claimed) return;
    claimed = true;
    beforeFirstWrite?.();
  };
  return {
    waiting: false,
    put: (file) => {
      claim();
      replaceFile(outDir, file, aside);
    },
    direct: { dir: outDir, atomic: true, aside, written: () => undefined, willWrite: claim },
    async finish(deleted, index) {
      // The changed pages were replaced as they were rendered; what is left is to remove the gone ones.
      if (deleted.length > 0) claim();
      await removeFiles(outDir, deleted);
      if (index) await index.inPlace(outDir);
    },
    // Pages already replaced stay: each is a whole page, and the next build renders them again.
    abandon: async () => undefined,
  };
}

export const discardSink: OutputSink = {
  waiting: false,
  put: () => undefined,
  direct: null,
  finish: async () => undefined,
  abandon: async () => undefined,
};
