import { createBuilder, formatSteps, relaxHeapGrowth, type Builder } from '../pipeline/index.js';
import type { BuildOptions, BuildReport, ChangeSet, Writer } from '../model/build.js';
import { BroadsheetErrors } from '../diagnostics/error.js';
import { formatError, plural, sourceOf } from '../diagnostics/format.js';
import { describeChanges } from './changes.js';
import { RebuildQueue } from './queue.js';
import { watchSite, type SiteWatcher } from './watcher.js';
import { lockOutput } from '../write/lock.js';
import { recoverOutput } from '../write/recover.js';

/** Options for {@link startWatching}. */
export interface WatchOptions extends BuildOptions {
  /** Who holds the output folder while the session runs: `watch`, or `dev` when it is also served. */
  readonly writer?: Exclude<Writer, 'build'>;
  /** Told of every rebuild after the first, as the dev server's live reload needs. */
  readonly onRebuilt?: (report: BuildReport) => void;
  /** Where log lines go, one per build. */
  readonly log: (line: string) => void;
  /** Where problems go, with file and line. */
  readonly logError: (text: string) => void;
  /** Append the time of each build step to the log line. */
  readonly profile?: boolean;
}

/** A running watch session. */
export interface WatchSession {
  /** Resolves when every change seen so far has been built. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds once, then rebuilds what each edit affects until closed. Problems
 * are printed and the last good output stays in place; fixing the file
 * recovers without a restart.
 */
export async function startWatching(options: WatchOptions): Promise<WatchSession> {
  // The session writes the output folder until it ends: no build may write it meanwhile.
  const lock = await lockOutput(options.outDir, options.writer ?? 'watch');
  // A build killed while writing is undone first, as for a one-shot build: a session that starts from the
  // record stages no new site, whose opening would otherwise do it.
  await recoverOutput(options.outDir);
  const builder = await createBuilder({ ...options, deferSearch: true, keepRenderThreads: true }, { fromRecord: true });
  const first = await builder.build();
  // Editing content cannot fix a refused output or cache folder: stop instead of watching.
  const refused = first.errors.filter((error) => error.code === 'BS403');
  if (refused.length > 0) {
    lock.release();
    await builder.close();
    throw new BroadsheetErrors(refused);
  }
  relaxHeapGrowth();
  const shownWarnings = new Set<string>();
  report(first, null, options, shownWarnings);
  builder.prepareForEdits();
  const queue: RebuildQueue = new RebuildQueue(
    (changes) => builder.build(changes),
    (result, changes) => {
      report(result, changes, options, shownWarnings);
      options.onRebuilt?.(result);
      if (result.errors.length > 0 || (result.written.length === 0 && result.deleted.length === 0)) return;
      search.schedule(SEARCH_DELAY_MS);
      // Once no rebuild is waiting: the files this one set aside are the next one's to fill.
      void queue.idle().then(() => builder.writeOutSpares(() => queue.busy));
    },
    (error) => {
      options.logError(`broadsheet: internal error during a rebuild: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      options.log('[broadsheet] rebuild crashed (a bug in broadsheet); still watching');
    },
  );
  const search = new SearchIndexer(builder, options, () => queue.busy);
  const watcher: SiteWatcher = watchSite(options, (changes) => void queue.push(changes), {
    onError: (error) => options.logError(`broadsheet: the file watcher met a problem and goes on watching: ${error.message}`),
  });
  await watcher.ready;
  options.log('[broadsheet] watching for changes');
  // Counted from here, not from the first build: on a large archive the watcher's first scan takes
  // seconds, and an index started meanwhile would run through the first edits instead of after them.
  search.schedule(SEARCH_DELAY_MS);
  return {
    idle: () => queue.idle(),
    async close() {
      await watcher.close();
      await queue.idle();
      await search.close();
      // What the session leaves lets the next build or session start from it instead of the whole site.
      await builder.saveRecord().catch((error: unknown) => options.logError(`broadsheet: the record of the output could not be saved, so the next build renders every page: ${(error as Error).message}`));
      await builder.close();
      lock.release();
    },
  };
}

const SEARCH_DELAY_MS = 3000;

/**
 * Re-indexes the site for search once edits have settled: indexing a large
 * archive takes seconds, too long to hold every rebuild up. Search results
 * may lag an edit by that much in dev; `broadsheet build` always indexes.
 */
class SearchIndexer {
  readonly #builder: Builder;
  readonly #options: WatchOptions;
  /** True while a rebuild runs or waits: the index then starts no new shard, and the rest waits for the next turn. */
  readonly #rebuilding: () => boolean;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  /** Ends an index under way when the session closes. */
  readonly #closing = new AbortController();

  constructor(builder: Builder, options: WatchOptions, rebuilding: () => boolean) {
    this.#builder = builder;
    this.#options = options;
    this.#rebuilding = rebuilding;
  }

  schedule(delayMs: number): void {
    if (this.#closing.signal.aborted) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = (this.#running ?? Promise.resolve()).then(() => this.#index());
    }, delayMs);
  }

  async #index(): Promise<void> {
    try {
      const started = performance.now();
      const outcome = await this.#builder.indexSearch(this.#rebuilding, this.#closing.signal);
      // Edits come first: what a rebuild kept from starting is indexed once edits settle again.
      if (outcome === 'held') this.schedule(SEARCH_DELAY_MS);
      if (outcome !== 'indexed') return;
      this.#options.log(`[broadsheet] search index updated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      // An index ended by the session's close is no problem: the next session indexes what is left.
      if (!this.#closing.signal.aborted) this.#options.logError(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * Ends an index under way rather than waiting for it: Ctrl-C stops
   * Pagefind's processes with the session, and they would never answer.
   */
  async close(): Promise<void> {
    this.#closing.abort();
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}

/**
 * One line per build: what was rebuilt and how long it took. Problems are
 * printed in full; so is each warning, the first time it appears (the next
 * builds only count it), with its file and line.
 */
function report(result: BuildReport, changes: ChangeSet | null, options: WatchOptions, shown: Set<string>): void {
  const ms = `${Math.round(result.durationMs)} ms`;
  if (result.errors.length > 0) {
    for (const error of result.errors) options.logError(formatError(error, { source: sourceOf(error.file) }));
    options.log(`[broadsheet] build failed with ${plural(result.errors.length, 'problem')} in ${ms}; the last good pages stay`);
    return;
  }
  const now = new Set<string>();
  for (const warning of result.warnings) {
    const key = `${warning.code}|${warning.file}|${warning.line}|${warning.column}|${warning.message}`;
    now.add(key);
    if (!shown.has(key)) options.logError(formatError(warning, { source: sourceOf(warning.file) }));
  }
  // A warning that went away and comes back is worth printing again.
  shown.clear();
  for (const key of now) shown.add(key);
  const warnings = (result.warnings.length > 0 ? `, ${plural(result.warnings.length, 'warning')}` : '') + (options.profile ? ` [${formatSteps(result.steps)}]` : '');
  if (!changes) {
    options.log(`[broadsheet] built ${result.pages} pages, wrote ${result.written.length} files in ${ms}${warnings}`);
    return;
  }
  options.log(
    `[broadsheet] rebuilt ${result.rendered.length} of ${result.pages} pages, wrote ${result.written.length}, deleted ${result.deleted.length} in ${ms} (${describeChanges(changes)})${warnings}`,
  );
}
