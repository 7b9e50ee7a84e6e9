import type { BroadsheetError } from '../diagnostics/error.js';

/**
 * What a build is asked to do and what it reports: the types the command
 * line, watch mode and the pipeline share.
 */

/** Who holds an output folder's lock. */
export type Writer = 'build' | 'watch' | 'dev';

export interface LockHolder {
  readonly pid: number;
  readonly writer: Writer;
}

/** How far a long step of a build has got: `done` of `total` files or pages, or just begun (search, whose work is not counted). */
export type BuildProgress = (step: 'parse' | 'render' | 'search', done?: number, total?: number) => void;

/** Where a build reads from and writes to. */
export interface BuildOptions {
  readonly contentDir: string;
  /** The project's templates; when the folder does not exist, the built-in templates alone (see load/template-layers.ts). */
  readonly templatesDir: string;
  /** The templates folder was named on purpose (`--templates`): a missing one is an error, not the built-in templates. */
  readonly templatesRequired?: boolean;
  readonly outDir: string;
  /** Site configuration file; a missing file means the defaults. */
  readonly configFile: string;
  /** Validate and render everything but write nothing (`broadsheet check`). */
  readonly dryRun?: boolean;
  /**
   * Leave the search index to the caller (`indexSearch()`), as watch mode does
   * to keep rebuilds fast; otherwise every build that writes re-indexes.
   */
  readonly deferSearch?: boolean;
  /**
   * Keep the threads that render pages between builds, until the builder is
   * closed (watch mode): a rebuild that re-renders many pages, after a
   * template edit, then finds them started and their code compiled.
   */
  readonly keepRenderThreads?: boolean;
  /** Where parsed articles are kept between runs; undefined or null parses everything (`--no-cache`). */
  readonly cacheDir?: string | null;
  /** Worker threads for parsing many files and rendering many pages; 0 does both in the main thread. Default: one per core. */
  readonly workers?: number;
  /** Replace an output folder that holds files broadsheet did not write (`--force`; see write/ownership.ts). */
  readonly force?: boolean;
  /** Told once when the build waits for another one writing the same output folder (see write/lock.ts). */
  readonly onWait?: (holder: LockHolder) => void;
  /** Told how far the long steps have got, for a progress line on a terminal. */
  readonly onProgress?: BuildProgress;
  /**
   * Record what was written in the cache folder, and start from the record a
   * previous run left: a one-shot `broadsheet build` then renders and writes
   * only what changed. Watch mode keeps its record in memory instead.
   */
  readonly persist?: boolean;
}

/** What changed since the last build, as a watcher reports it. */
export interface ChangeSet {
  readonly config?: boolean;
  readonly templates?: boolean;
  /** Absolute paths of content files that were added, changed or removed. */
  readonly content?: readonly string[];
}

/** What one build or rebuild did. */
export interface BuildReport {
  /** Pages the site has. */
  readonly pages: number;
  /** Hand-written content files (sources and translations). */
  readonly articles: number;
  /** URLs of the pages rendered this time (the others were unchanged). */
  readonly rendered: readonly string[];
  /** Output files written and deleted, relative to the output folder. */
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  readonly durationMs: number;
  /** Problems that do not stop the build, such as translations that do not align. */
  readonly warnings: readonly BroadsheetError[];
  /** When not empty, nothing was written: the previous output stays. */
  readonly errors: readonly BroadsheetError[];
  /** Milliseconds spent in each step, for `--profile`. */
  readonly steps: Readonly<Record<string, number>>;
  /** True when no input had changed since the last build recorded in the cache, so nothing was done. */
  readonly upToDate?: boolean;
}
