import { availableParallelism } from 'node:os';
import { CacheStore } from '../cache/store.js';
import { toBroadsheetErrors, type BroadsheetError } from '../diagnostics/error.js';
import { digest } from '../digest.js';
import type { Archive } from '../model/archive.js';
import type { BuildOptions, BuildReport, ChangeSet } from '../model/build.js';
import type { Config } from '../model/config.js';
import type { OutputFile } from '../model/page.js';
import { outputPath } from '../render/pages.js';
import { claimOf, findClashes, type Claim } from '../render/url-registry.js';
import { SearchState, type IndexedDigests } from '../search/search-state.js';
import { ShardFeeder } from '../search/shard-feeder.js';
import { planSearchShards, ShardLayout } from '../search/shards.js';
import { guardOwnedOutput, OWNERSHIP_MARKER } from '../write/ownership.js';
import { readOutputFile } from '../write/files.js';
import { SetAsideFolders } from '../write/set-aside.js';
import { discardSink, liveSink, patchSink, stagedSink, type IndexWriter, type OutputSink } from '../write/sink.js';
import { SourceStructurer } from './compile/sources.js';
import { RenderPool } from './render-workers/pool.js';
import { applyStampChanges, removeManifest, restampUnlessSame, stampContentChanges, stampTemplateChanges, type OutputManifest, type StampChanges } from './manifest.js';
import { initialState, type BuildState, type InputState, type OutputRecord, type OutputState } from './state.js';
import { StepTimer } from './step-timer.js';
import { archiveWarnings, assembleArchive, textOnlyChanges } from './steps/archive.js';
import { guardFolders, loadTemplates, readConfiguration } from './steps/inputs.js';
import { planPages, PlanMemo } from './steps/plan.js';
import { renderPages } from './steps/render.js';
import { beginRecord, nextMarker, type RecordInputs } from './steps/record.js';
import { refreshSources, skippedProblems, sourceProblems } from './steps/sources.js';

/**
 * Builds a site and keeps what it learned, so that the next build after an
 * edit parses only the files that changed, renders only the pages whose
 * inputs changed and writes only the files whose bytes changed. The output
 * of any sequence of rebuilds is byte-identical to a fresh build.
 *
 * What it learned is one {@link BuildState} value; besides it, the builder
 * holds resources only: the worker threads that parse, a memo of plans,
 * and the search index's bookkeeping, which watch mode's background
 * indexer shares (see search/search-state.ts).
 */
export class Builder {
  readonly #options: BuildOptions;
  #state: BuildState;
  /** The inputs' stamps as the caller took them before the first build, which that build uses rather than walk the folders again. */
  #stampsTaken: Readonly<Record<string, string>> | null;
  #structurer: SourceStructurer | null = null;
  readonly #memo = new PlanMemo();
  readonly #search = new SearchState();
  /** Where watch mode's rebuilds set aside the files they replace, until each is done. */
  readonly #setAside: SetAsideFolders;
  /** The render threads, when kept between builds (`keepRenderThreads`). */
  #renderPool: RenderPool | null = null;

  /**
   * `record` is what a previous run left, and `stamps` the inputs' stamps
   * taken since, to compare with it: the first build then renders only
   * the pages whose signature changed since (a one-shot build, or the first
   * build of a watch session).
   */
  constructor(options: BuildOptions, record: OutputManifest | null = null, stamps: Readonly<Record<string, string>> | null = null) {
    this.#options = options;
    this.#setAside = new SetAsideFolders(options.outDir);
    this.#state = initialState(record);
    if (record) this.#search.seed(record.searchShards);
    this.#stampsTaken = stamps;
  }

  /** Builds everything that `changes` may affect; the first call builds everything. */
  async build(changes: ChangeSet = {}): Promise<BuildReport> {
    const started = performance.now();
    const timer = new StepTimer();
    const options = this.#options;
    const fail = (errors: readonly BroadsheetError[]): BuildReport => failure(started, errors);

    // Inputs: the configuration, then the templates. The stamps of the inputs are taken before anything else is read.
    const read = await this.#readConfiguration(changes);
    const config = read.config;
    if (!config) return fail(read.configErrors);
    const refused = options.dryRun ? [] : guardFolders(options);
    if (refused.length > 0) return fail(refused);
    const taken = options.cacheDir ? this.#stampsFor(changes, config) : null;
    const stamps = taken && 'all' in taken ? taken.all : null;
    this.#stampsTaken = null;
    timer.mark('config');
    const templates = read.templates && !changes.templates ? read.templates : await loadTemplates(options, config, read.converters, read.templates);
    timer.mark('templates');

    // Sources: the content files, parsed only where they changed.
    const structurer = await this.#structurerFor(config, read, stamps);
    const refreshed = await refreshSources(read.sources, options.contentDir, changes.content ?? [], structurer, timer);
    const sources = refreshed.sources;
    this.#state = { ...this.#state, inputs: { ...read, templates, sources } };
    const problems = sourceProblems(sources, config, { listing: refreshed.errors, templates: templates.errors });
    if (problems.length > 0) return fail(problems);

    // Archive: every article placed in its editions.
    const { output, previousRun } = this.#state;
    const assembled = assembleArchive(sources, output, config);
    if ('errors' in assembled) return fail(assembled.errors);
    const archive = assembled.archive;
    const since = { previousRun, stamps, contentDir: options.contentDir };
    // Watch mode plans every page on its first build, even from a record: its rebuilds start from those plans.
    const touched = previousRun && !options.persist ? null : textOnlyChanges(sources, output, archive, templates === output?.signedWith, since);
    // The untouched groups of a one-shot edit keep the faces the previous record gave them.
    const facesKept = touched && previousRun ? { faces: previousRun.faces, touched } : null;
    this.#state = { ...this.#state, previousRun: null };
    timer.mark('archive');

    // Plan: the search shards, the pages, and the addresses they claim.
    // A text-only edit keeps every article's URL, and so the search shards; a new process has no layout yet to keep.
    const keepLayout = touched !== null && this.#search.layout !== ShardLayout.empty;
    const shards = !config.search ? ShardLayout.empty : keepLayout ? this.#search.layout : planSearchShards(archive, config);
    const planning = planPages(archive, config, output, touched, bundlesByEdition(shards), this.#memo);
    if (!output || planning.gone.length > 0 || planning.candidates.some((plan) => !output.pages.has(plan.url))) {
      const clashes = findClashes([...planning.candidates.map(claimOf), ...fixedClaims(templates.assets, config)]);
      if (clashes.length > 0) return fail(clashes);
    }
    timer.mark('plan');

    // Render: the pages whose signature changed, each changed one handed to the sink at once.
    const indexNow = config.search && !options.deferSearch;
    let feeder: ShardFeeder | null = null;
    const follow = indexNow ? (dir: string) => (feeder = new ShardFeeder(dir, shards, archive)) : undefined;
    const opened = await this.#openSink(output, follow);
    if ('errors' in opened) return fail(opened.errors);
    const sink = opened.sink;
    const pool = options.keepRenderThreads ? (threads: number) => (this.#renderPool ??= new RenderPool(threads, { keepPlans: true })) : undefined;
    const outcome = await renderPages(planning.candidates, templates, read.siteHash, output, sink, { workers: options.workers, onProgress: options.onProgress, pool, indexedTextLater: options.deferSearch }).catch(async (error: unknown) => {
      // A bug, or a render worker that died: what was staged goes, as after any failed build.
      await sink.abandon();
      throw error;
    });
    if (outcome.errors.length > 0) {
      await sink.abandon();
      return fail(outcome.errors);
    }
    timer.mark('render');
    timer.add('signature', outcome.signingMs);
    // The render threads let go of the plans of pages the site no longer has (a report removed or renamed).
    this.#renderPool?.forget(planning.gone);
    const assets = new Map(templates.assets.map((asset) => [asset.path, digest(asset.contents)]));
    const changedAssets = templates.assets.filter((asset) => !output || output.assets.get(asset.path) !== assets.get(asset.path));
    const deleted = [...planning.gone.map(outputPath), ...[...(output?.assets.keys() ?? [])].filter((file) => !assets.has(file))];
    // The list of the files this site owns changes only when pages or assets come or go.
    const marker = options.dryRun || planning.textOnly ? null : nextMarker(output, options.outDir, planning.gone, outcome.updates, assets, config);
    try {
      for (const file of [...changedAssets, ...(marker?.changed ? [marker.file] : [])]) {
        sink.put(file);
        outcome.written.push(file.path);
      }
    } catch (error) {
      await sink.abandon();
      throw error;
    }
    // A one-shot build is not the base of another in this process: its page plans (a quarter of the
    // heap) are let go before the search index is built, the longest step, instead of held through it.
    const plansKept = !options.persist;
    if (!plansKept) {
      planning.candidates.length = planning.listings.length = planning.siteFiles.length = 0;
      this.#memo.clear();
      for (const [url, record] of outcome.updates) outcome.updates.set(url, { ...record, plan: null });
    }

    // Write: the sink puts the files in place, with the search bundles where it can. Pagefind works in
    // processes of its own for most of that time; meanwhile this thread saves what the next run starts from.
    this.#search.markDirty(shards, output ? [...outcome.changedArticles, ...planning.gone] : null);
    this.#search.markUnchecked(outcome.uncheckedArticles);
    const anyChange = outcome.written.length > 0 || deleted.length > 0;
    const indexing = indexNow && this.#search.hasDirty;
    const warnings = [...skippedProblems(sources, 'warning'), ...archiveWarnings(archive, config)];
    const articles = [...sources.files.values()].filter((record) => record.file).length;
    // The record of the output folder is stale from the first change on; a new one follows the write.
    if (!options.dryRun && options.cacheDir && (anyChange || !output)) removeManifest(options.cacheDir, options);
    timer.mark('write');
    const finishing = options.dryRun ? Promise.resolve() : sink.finish(deleted, indexing ? this.#indexWriter(shards, archive, () => feeder) : null);
    const record = stamps ? { stamps, archive, sources, warnings, articles, searchShards: shards.shards.map((shard) => shard.id), facesKept } : null;
    const saving = this.#saveForNextRun(structurer, record, () => mergedPages(output, planning.gone, outcome.updates), assets);
    const [, commitRecord] = await bothSettled(finishing, saving);
    timer.mark(indexing ? 'search' : 'write');

    // Record: the new state, and for a one-shot build the summary that makes its record count, now that the output is complete.
    const pages = nextPages(output, planning.gone, outcome.updates, !options.dryRun);
    const written: OutputState = {
      archive,
      pages,
      assets,
      listings: plansKept ? planning.listings : null,
      siteFiles: plansKept ? planning.siteFiles : null,
      signedWith: templates,
      signedSite: read.siteHash,
      marker: marker ? (marker.file.contents as string) : (output?.marker ?? null),
      stamps: taken && !options.dryRun ? stampsAfter(taken) : null,
    };
    if (!options.dryRun) {
      this.#state = { ...this.#state, inputs: { ...this.#state.inputs, sources: { ...sources, changed: new Set() } }, output: written };
      this.#search.written(shards, archive);
    }
    timer.mark('check');
    if (commitRecord) {
      await commitRecord();
      timer.mark('manifest');
    }
    return { pages: pages.size, articles, rendered: outcome.rendered, written: outcome.written, deleted, durationMs: performance.now() - started, warnings, errors: [], steps: timer.steps };
  }

  /**
   * The stamps of the inputs this build reads, each taken before it is
   * read. A one-shot build and the first build of a watch session stamp
   * every input (or take the stamps their caller took before the build);
   * a watch-mode rebuild stamps again only the files of its changes. Null
   * when they cannot be known: after a configuration edit in a session, the
   * gazetteers may be other files.
   */
  #stampsFor(changes: ChangeSet, config: Config): InputStamps | null {
    const options = this.#options;
    const { output, previousRun } = this.#state;
    if (options.persist || previousRun || !output) return { all: restampUnlessSame(this.#stampsTaken, options, config.gazetteerFiles) };
    if (!output.stamps || changes.config) return null;
    const changed: StampChanges = new Map();
    if (changes.templates) for (const [file, stamp] of stampTemplateChanges(output.stamps, options)) changed.set(file, stamp);
    if (changes.content?.length) for (const [file, stamp] of stampContentChanges(output.stamps, changes.content)) changed.set(file, stamp);
    return { changed, onto: output.stamps };
  }

  /**
   * Leaves the record of the output folder that the next run starts from,
   * as a one-shot build does (watch mode, when its session ends): when the
   * last build was written whole and the stamps of every input it read are
   * known. Search bundles the background index had not caught up with are
   * recorded as behind, for the next run to index. Says whether it wrote
   * one; without one, the next run builds the whole site.
   */
  async saveRecord(): Promise<boolean> {
    const { cacheDir, dryRun } = this.#options;
    const { output, inputs } = this.#state;
    const config = inputs.config;
    const sources = inputs.sources;
    // A failed build leaves the inputs it read ahead of the output: they must not be recorded as its.
    const written = output?.signedWith === inputs.templates && sources.changed !== 'all' && sources.changed.size === 0;
    if (!cacheDir || dryRun || !config || !output?.stamps || !output.archive || !written) return false;
    await this.#structurer?.flush();
    // The record keeps the digests the rebuilds left to the search step, worked out now. Without search
    // nothing reads them: a configuration that turns search on makes every page render again anyway.
    if (config.search) await this.#checkIndexedText();
    const warnings = [...skippedProblems(sources, 'warning'), ...archiveWarnings(output.archive, config)];
    const articles = [...sources.files.values()].filter((record) => record.file).length;
    const search = { searchShards: this.#search.recordedIds, searchBehind: this.#search.hasDirty };
    const record = { stamps: { ...output.stamps }, archive: output.archive, sources, warnings, articles, ...search, facesKept: null };
    const commit = await beginRecord(cacheDir, this.#options, output.pages, output.assets, record);
    await commit();
    return true;
  }

  /** The configuration as the inputs have it, read again on the first build and when it changed. */
  async #readConfiguration(changes: ChangeSet): Promise<InputState> {
    const current = this.#state.inputs;
    const first = current.config === null && current.configErrors.length === 0;
    if (!first && !changes.config) return current;
    const inputs = await readConfiguration(this.#options.configFile, this.#options.cacheDir ?? null);
    // Everything read before depends on the configuration: the sources start over, and so do their worker threads.
    await this.#structurer?.close();
    this.#structurer = null;
    this.#memo.clear();
    this.#state = { ...this.#state, inputs };
    return inputs;
  }

  /** The structurer of the current configuration (its cache keys include the configuration). */
  async #structurerFor(config: Config, inputs: InputState, stamps: Readonly<Record<string, string>> | null): Promise<SourceStructurer> {
    const { cacheDir, workers, persist, dryRun, onProgress } = this.#options;
    this.#structurer ??= new SourceStructurer(config, inputs.converters, {
      cache: cacheDir ? new CacheStore(cacheDir) : null,
      workers,
      known: knownSources(this.#state, stamps),
      // A one-shot build renders each body once; watch mode keeps them at hand for its rebuilds.
      shelveBodies: persist === true && !dryRun,
      onProgress,
    });
    return this.#structurer;
  }

  /**
   * Where this build's files go: a first build stages the whole site, a
   * one-shot rebuild collects a patch, watch mode replaces pages in place,
   * and `check` writes nothing.
   */
  async #openSink(output: OutputState | null, follow?: (stagingDir: string) => ShardFeeder): Promise<{ sink: OutputSink } | { errors: readonly BroadsheetError[] }> {
    const { outDir, dryRun, persist, cacheDir, force } = this.#options;
    if (dryRun) return { sink: discardSink };
    try {
      if (!output) {
        guardOwnedOutput(outDir, force);
        return { sink: await stagedSink(outDir, follow) };
      }
    } catch (error) {
      return { errors: toBroadsheetErrors(error) };
    }
    if (persist) return { sink: patchSink(outDir) };
    // A one-shot build's record of the output folder stops being true with the first page watch mode replaces;
    // a watch session that starts from it and finds nothing to change leaves it true.
    const recordGoes = cacheDir ? () => removeManifest(cacheDir, this.#options) : undefined;
    return { sink: liveSink(outDir, this.#setAside, recordGoes) };
  }

  /**
   * Saves what the next run starts from, while the sink finishes the
   * output: the cache's pending entries and, for a one-shot build, its
   * outlines and the page list of the record. Returns the write of the
   * record's summary, which makes the page list count once the output is
   * complete; null when the build keeps no record.
   */
  async #saveForNextRun(
    structurer: SourceStructurer,
    record: RecordInputs | null,
    pages: () => Iterable<readonly [string, OutputRecord]>,
    assets: ReadonlyMap<string, string>,
  ): Promise<(() => Promise<void>) | null> {
    await structurer.flush();
    const { persist, cacheDir, dryRun } = this.#options;
    if (!persist || !cacheDir || !record || dryRun) return null;
    await structurer.saveOutlines();
    return beginRecord(cacheDir, this.#options, pages(), assets, record);
  }

  /** The search index of this build, for the sink to write with the pages. */
  #indexWriter(shards: ShardLayout, archive: Archive, feeder: () => ShardFeeder | null): IndexWriter {
    const editions = this.#editionPaths();
    return {
      into: async (newDir, siteDir) => {
        this.#options.onProgress?.('search');
        const early = feeder();
        if (early) this.#search.indexedEarly(await early.finish());
        if (!this.#search.hasDirty) return { writes: [], deletes: [] };
        return this.#search.bundlesInto(newDir, siteDir, shards, archive, editions);
      },
      inPlace: async (siteDir) => {
        this.#search.written(shards, archive);
        await this.#search.indexLive(siteDir, editions);
      },
    };
  }

  /**
   * Builds now what the first edit would otherwise wait for: an edited file
   * is structured in this thread, with the converters of the derived
   * editions (watch mode calls this after its first build).
   */
  prepareForEdits(): void {
    this.#state.inputs.converters.prepare();
  }

  /**
   * Writes out, while the session is idle, the files the last rebuild set
   * aside for the next one to fill (watch mode calls this after a rebuild
   * that wrote pages; see SetAsideFolders.writeOutLatest). Stops when
   * `stop` says a rebuild is waiting.
   */
  writeOutSpares(stop: () => boolean): Promise<void> {
    return this.#setAside.writeOutLatest(stop);
  }

  /** Stops the threads kept for edits (watch mode calls this when it ends). */
  async close(): Promise<void> {
    await this.#structurer?.close();
    await this.#renderPool?.destroy();
    this.#renderPool = null;
    await this.#setAside.close();
  }

  /**
   * Re-indexes the written site for search (watch mode calls this when edits
   * have settled). It runs beside the next edits' rebuilds, so it leaves
   * them a core: one Pagefind service fewer than there are cores, and no
   * new shard starts while `hold` says a rebuild wants the cores. Says
   * whether it had anything to do (an edit that left every page's indexed
   * text as it was, a layout change, has not) and whether shards were left.
   * `signal` ends it part way, leaving the shards under way dirty.
   */
  async indexSearch(hold?: () => boolean, signal?: AbortSignal): Promise<'nothing' | 'indexed' | 'held'> {
    if (!this.#state.inputs.config?.search || !this.#state.output || this.#options.dryRun) return 'nothing';
    if (!(await this.#checkIndexedText(() => hold?.() === true || signal?.aborted === true))) return 'held';
    if (!this.#search.hasDirty) return 'nothing';
    await this.#search.indexLive(this.#options.outDir, this.#editionPaths(), { concurrency: Math.max(1, availableParallelism() - 1), hold, signal, background: true });
    return this.#search.hasDirty ? 'held' : 'indexed';
  }

  /**
   * Works out the indexed text of the article pages watch mode's rebuilds
   * wrote without it (see SearchState.checkIndexedText), into the page
   * records of the output; says whether it finished before `stop` said so.
   */
  #checkIndexedText(stop?: () => boolean): Promise<boolean> {
    const read = (url: string): Uint8Array | null => readOutputFile(this.#options.outDir, outputPath(url));
    // The records of the output as they are when each slice is read: a rebuild between two replaces them.
    const pages = (): Map<string, OutputRecord> | undefined => this.#state.output?.pages as Map<string, OutputRecord> | undefined;
    const digests: IndexedDigests = {
      get: (url) => pages()?.get(url)?.indexed,
      set: (url, digest) => {
        const page = pages()?.get(url);
        if (page) pages()?.set(url, { ...page, indexed: digest });
      },
    };
    return this.#search.checkIndexedText(read, digests, stop);
  }

  #editionPaths(): string[] {
    return this.#state.inputs.config?.languages.map((language) => language.path) ?? [];
  }
}

/**
 * The text digests of the content files whose stamp is the one the previous
 * run recorded: the cache has their articles, and they need not be read.
 */
function knownSources(state: BuildState, stamps: Readonly<Record<string, string>> | null): Map<string, string> {
  const previous = state.previousRun;
  if (!previous || !stamps) return new Map();
  return new Map([...previous.sources].filter(([file]) => stamps[file] !== undefined && stamps[file] !== 'missing' && previous.stamps[file] === stamps[file]));
}

/** The stamps a build takes: every input's (a first or one-shot build), or the changes since those of its output (a watch-mode rebuild). */
type InputStamps = { readonly all: Record<string, string> } | { readonly changed: StampChanges; readonly onto: Readonly<Record<string, string>> };

/**
 * The stamps of the inputs of a written build. A rebuild's changes are
 * applied to the stamps of the output it replaced, which is never read
 * again, in place: copying them would cost a large archive milliseconds
 * per rebuild (as with the page records, see {@link nextPages}).
 */
function stampsAfter(taken: InputStamps): Readonly<Record<string, string>> {
  return 'all' in taken ? taken.all : applyStampChanges(taken.onto as Record<string, string>, taken.changed);
}

/**
 * The page records after a build. When the build was written, the output
 * state it replaces is never read again, so its map is handed over to the
 * next one instead of copied: a rebuild after one edit then costs nothing
 * per page of the site. Otherwise (`check`) a copy.
 */
function nextPages(output: OutputState | null, gone: readonly string[], updates: ReadonlyMap<string, OutputRecord>, handOver: boolean): Map<string, OutputRecord> {
  if (!output || !handOver) return new Map(mergedPages(output, gone, updates));
  const pages = output.pages as Map<string, OutputRecord>;
  for (const url of gone) pages.delete(url);
  for (const [url, record] of updates) pages.set(url, record);
  return pages;
}

/**
 * The page records {@link nextPages} will hold, in its order, without
 * changing anything: the record is written from them before the output is
 * complete, when a failure must still leave the builder's state as it was.
 */
function* mergedPages(output: OutputState | null, gone: readonly string[], updates: ReadonlyMap<string, OutputRecord>): Generator<readonly [string, OutputRecord]> {
  const goneUrls = new Set(gone);
  for (const [url, record] of output?.pages ?? []) if (!goneUrls.has(url)) yield [url, updates.get(url) ?? record];
  for (const [url, record] of updates) if (!output?.pages.has(url) || goneUrls.has(url)) yield [url, record];
}

/** Waits for both; then throws the first one's failure, if any, else the second's. */
async function bothSettled<First, Second>(first: Promise<First>, second: Promise<Second>): Promise<[First, Second]> {
  const [one, two] = await Promise.allSettled([first, second]);
  if (one.status === 'rejected') throw one.reason;
  if (two.status === 'rejected') throw two.reason;
  return [one.value, two.value];
}

/** The URLs of each edition's search bundles, for its search page. */
function bundlesByEdition(shards: ShardLayout): Map<string, string[]> {
  const bundles = new Map<string, string[]>();
  for (const shard of shards.shards) bundles.set(shard.language.code, [...(bundles.get(shard.language.code) ?? []), shard.bundleUrl]);
  return bundles;
}

/** The output paths that are not pages: the assets, the ownership marker, the search bundles' folders. */
function fixedClaims(assets: readonly OutputFile[], config: Config): Claim[] {
  return [
    ...assets.map((asset) => ({ path: asset.path, by: `the asset ${asset.path}` })),
    { path: OWNERSHIP_MARKER, by: 'the ownership marker' },
    ...(config.search ? config.languages.map((language) => ({ path: `${language.path}/pagefind/`, by: `the search bundles of ${language.name}` })) : []),
  ];
}

/** The report of a build that stopped on problems; a broken template fails on every page that uses it, so each problem is said once. */
function failure(started: number, found: readonly BroadsheetError[]): BuildReport {
  const seen = new Set<string>();
  const errors = found.filter((error) => {
    const key = `${error.code}|${error.file}|${error.line}|${error.column}|${error.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
  return { pages: 0, articles: 0, rendered: [], written: [], deleted: [], durationMs: performance.now() - started, warnings: [], errors, steps: {} };
}
