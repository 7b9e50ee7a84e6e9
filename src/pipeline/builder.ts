import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { CacheStore } from '../cache/store.js';
import { VERSION } from '../version.js';
import { SourceStructurer, type SourceRecord } from './compile/sources.js';
import path from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../model/config.js';
import { BroadsheetError, toBroadsheetErrors, toErrorRecord } from '../diagnostics/error.js';
import { checkCatalogueKeys } from '../i18n/check-keys.js';
import { Converters } from '../i18n/derive.js';
import { loadCatalogues, type Catalogue } from '../i18n/strings.js';
import { loadAssets } from '../load/assets.js';
import { displayPath, listChanged, listContent, type ContentListing, type SkippedEntry } from '../load/scan.js';
import { resolveTemplateLayers, type TemplateLayers } from '../load/template-layers.js';
import type { ListingCache } from '../render/listings.js';
import { findNeighbours, planArticle, planFeeds, planListings, planSiteFiles, renderPage, type Neighbours, type RenderContext } from '../render/pages.js';
import type { OutputFile, PagePlan } from '../model/page.js';
import { readTemplateSet, type TemplateSet } from '../render/template-set.js';
import { compileAllTemplates, createTemplateRenderer } from '../render/templates.js';
import { checkAlignment } from '../structure/alignment.js';
import { articleWarnings } from '../structure/warnings.js';
import { cardOf } from '../structure/card.js';
import { toArchive, updateArchive } from '../structure/archive.js';
import { emptyArchive, type Archive, type ArchiveEntry, type ArticleGroup } from '../model/archive.js';
import type { RenderedArticle } from '../model/article.js';
import { StagedSite } from '../write/dist.js';
import { guardFolder } from '../write/folder-guard.js';
import type { BuildOptions, BuildReport, ChangeSet } from '../model/build.js';
import { guardOwnedOutput, OWNERSHIP_MARKER, ownershipMarker, readOwnershipMarker } from '../write/ownership.js';
import { claimOf, findClashes, type Claim } from '../render/url-registry.js';
import { applyPatch } from '../write/patch.js';
import { changedStamps, isInside, removeManifest, restampUnlessSame, saveManifest, type OutputManifest } from './manifest.js';
import { removeFiles, replaceFile } from '../write/output-dir.js';
import { SearchState } from '../search/search-state.js';
import { ShardFeeder } from '../search/shard-feeder.js';
import { planSearchShards, ShardLayout } from '../search/shards.js';
import { pageSignature, samePlan } from './signature.js';
import { StepTimer } from './step-timer.js';





interface Templates {
  readonly context: RenderContext;
  /** The files of `templates/assets/`, read with the templates (a stylesheet edit is a template change). */
  readonly assets: readonly OutputFile[];
  readonly set: TemplateSet;
  readonly catalogueHashes: ReadonlyMap<string, string>;
  readonly errors: readonly BroadsheetError[];
}

/** The pages a build considers, and the URLs of the previous output it no longer produces. */
interface PagePlanning {
  /** Only articles' text changed: listings and site files keep their previous plans. */
  readonly textOnly: boolean;
  readonly listings: PagePlan[];
  readonly siteFiles: PagePlan[];
  /** Every page whose signature is checked, article pages first. */
  readonly candidates: PagePlan[];
  readonly gone: string[];
}

/** What rendering the candidate pages produced. */
interface RenderOutcome {
  /** URLs of the pages rendered (their signature changed). */
  readonly rendered: string[];
  /** The new record of each page rendered or re-planned. */
  readonly updates: Map<string, OutputRecord>;
  /** URLs of the article pages whose bytes changed, for the search index. */
  readonly changedArticles: string[];
  readonly errors: BroadsheetError[];
  signingMs: number;
}

/** What {@link Builder} needs to put one build's files in place. */
interface OutputWrite {
  readonly staged: StagedSite | null;
  readonly feeder: ShardFeeder | null;
  readonly shards: ShardLayout;
  readonly archive: Archive;
  /** Build the dirty search bundles with this write. */
  readonly indexing: boolean;
  /** The changed files a one-shot rebuild collected for its patch. */
  readonly changedFiles: readonly OutputFile[];
  readonly deleted: readonly string[];
  /** Any file was written or deleted. */
  readonly anyChange: boolean;
  readonly timer: StepTimer;
}

interface OutputRecord {
  /** Null for a page known only from a previous run's manifest. */
  readonly plan: PagePlan | null;
  readonly signature: string;
  readonly hash: string;
}

/**
 * Builds a site and keeps what it learned, so that the next build after an
 * edit parses only the files that changed, renders only the pages whose
 * inputs changed and writes only the files whose bytes changed. A page's
 * inputs are summed up in its signature (see `signature.ts`); the output of
 * any sequence of rebuilds is byte-identical to a fresh build.
 */
export class Builder {
  readonly #options: BuildOptions;
  #config: Config | null = null;
  #configError: readonly BroadsheetError[] = [];
  #siteHash = '';
  #converters = new Converters([]);
  #structurerOf: SourceStructurer | null = null;
  #templates: Templates | null = null;
  #root: string | null = null;
  #sources = new Map<string, SourceRecord>();
  /** Entries of the content folder that are not read (links, nameless files), by content-relative path. */
  #skipped = new Map<string, SkippedEntry>();
  /** The archive of the last build that was written; the next one is an update of it. */
  #archive: Archive = emptyArchive;
  /** False while a build that updated the archive in place has not been written. */
  #archiveIntact = false;
  /** Translation keys changed since the last build that was written. */
  #dirtyKeys = new Set<string>();
  /** Pages need checking everywhere (first build, new configuration or templates). */
  #dirtyAll = true;
  /** The listing and site-file plans of the last build that was written. */
  #lastListings: PagePlan[] | null = null;
  #lastSiteFiles: PagePlan[] | null = null;
  /** The groups of the changed keys as the last written build had them; null when unknown. */
  #replacedGroups: Map<string, ArticleGroup | undefined> | null = null;
  /** Listing plans by listing, reused while their articles stay the same (see render/listings.ts). */
  #listingCache: ListingCache = new Map();
  readonly #groupPlans = new WeakMap<ArticleGroup, { around: (ArchiveEntry | null)[]; plans: PagePlan[] }>();
  #outputs = new Map<string, OutputRecord>();
  #assets = new Map<string, string>();
  #hasOutput = false;
  /** The templates the recorded signatures were computed with; new templates mean new signatures. */
  #signedWith: Templates | null = null;

  /** True once the output and cache folders were found safe to replace (see write/folder-guard.ts). */
  #foldersGuarded = false;
  /** True once watch mode has removed the output record a one-shot build left. */
  #recordForgotten = false;
  /** Which search shards the output has, and which need indexing. */
  readonly #search = new SearchState();
  /** The ownership marker the output folder has, once known (see write/ownership.ts). */
  #markerText: string | null = null;

  /** The stamps of the input files, taken before this build read them, for the manifest it leaves. */
  #stamps: Record<string, string> | null = null;
  /**
   * What the previous run's record says of the input files and the archive,
   * until the first build has used it: the stamps of every input, the text
   * digest of each content file and the face digest of each group.
   */
  #previousRun: { readonly stamps: Readonly<Record<string, string>>; readonly sources: ReadonlyMap<string, string>; readonly faces: ReadonlyMap<string, string> } | null = null;
  /** The inputs' stamps as the caller took them before this builder's first build, if it did. */
  #stampsTaken: Readonly<Record<string, string>> | null;
  /** Set for a build that starts from a previous run's record after edits that changed only articles' text. */
  #textOnlySincePreviousRun = false;

  /**
   * `previous` is the record a previous run left (one-shot builds), and
   * `stamps` the stamps of the inputs taken since to compare with it, which
   * the first build uses rather than walk the folders again.
   */
  constructor(options: BuildOptions, previous: OutputManifest | null = null, stamps: Readonly<Record<string, string>> | null = null) {
    this.#options = options;
    this.#stampsTaken = stamps;
    if (previous && options.persist) this.#seed(previous);
  }

  /** Starts from the pages a previous run wrote, as its manifest lists them. */
  #seed(manifest: OutputManifest): void {
    this.#previousRun = { stamps: manifest.stamps, sources: new Map(manifest.sources), faces: new Map(manifest.faces) };
    this.#outputs = new Map(manifest.outputs.map(([url, signature, contentHash]) => [url, { plan: null, signature, hash: contentHash }]));
    this.#assets = new Map(manifest.assets);
    this.#search.seed(manifest.searchShards);
    this.#hasOutput = true;
  }

  /** Builds everything that `changes` may affect; the first call builds everything. */
  async build(changes: ChangeSet = {}): Promise<BuildReport> {
    const started = performance.now();
    const timer = new StepTimer();
    const first = this.#config === null && this.#configError.length === 0;
    if (first || changes.config) await this.#loadConfig();
    const config = this.#config;
    if (!config) return this.#failure(started, this.#configError);
    // Once per builder, on its first build with a configuration (a first build that failed on the
    // configuration does not count: the fixed one must still be checked before anything is written).
    if (!this.#foldersGuarded && !this.#options.dryRun) {
      const refused = this.#guardFolders();
      if (refused.length > 0) return this.#failure(started, refused);
      this.#foldersGuarded = true;
    }
    if (this.#options.persist && this.#options.cacheDir) {
      this.#stamps = restampUnlessSame(this.#stampsTaken, this.#options, config.gazetteerFiles);
      this.#stampsTaken = null;
    }
    timer.mark('config');
    if (first || changes.config || changes.templates || !this.#templates) {
      await this.#loadTemplates(config);
      this.#dirtyAll = true;
    }
    const templates = this.#templates;
    if (!templates) throw new Error('Internal error: templates were just loaded');
    timer.mark('templates');
    const full = this.#root === null || first || Boolean(changes.config);
    const listingErrors = await this.#refreshSources(config, full ? null : (changes.content ?? []), timer);
    const errors = [...listingErrors, ...this.#skippedProblems('error'), ...templates.errors];
    for (const record of this.#sources.values()) if (record.errors.length > 0) errors.push(...record.errors);
    // Problems between files (two claiming one URL, a translation without its source) are looked for
    // among the readable files too, so that one run lists every problem in the archive.
    // A file that failed says nothing about its group, so its translations are left out of that look.
    if (errors.length > 0) {
      const failedKeys = new Set([...this.#sources.values()].filter((record) => record.errors.length > 0).map((record) => record.key));
      const readable = this.#allArticles().filter((article) => !failedKeys.has(article.key));
      return this.#failure(started, [...errors, ...archiveProblems(readable, config)]);
    }
    let archive: Archive;
    try {
      // The previous archive is updated in place; until this build is written, it counts as broken,
      // and a failure makes the next build start the archive over from the sources.
      const reuse = !full && this.#archiveIntact;
      this.#archiveIntact = false;
      if (!reuse) this.#dirtyAll = true;
      this.#replacedGroups = reuse && !this.#dirtyAll ? new Map([...this.#dirtyKeys].map((key) => [key, this.#archive.groups.get(key)])) : null;
      archive = reuse ? updateArchive(this.#archive, this.#dirtyMembers(config), config, true) : toArchive(this.#allArticles(), config);
    } catch (error) {
      return this.#failure(started, toBroadsheetErrors(error));
    }
    this.#textOnlySincePreviousRun = this.#onlyTextChangedSincePreviousRun(archive);
    timer.mark('archive');
    return this.#renderAndWrite(started, archive, config, templates, timer);
  }

  /** Replaces what was known to be skipped at or below the looked-at paths with what was skipped there now. */
  #noteSkipped(looked: readonly string[], skipped: readonly SkippedEntry[]): void {
    for (const known of [...this.#skipped.keys()]) {
      if (looked.some((place) => known === place || known.startsWith(`${place}/`))) this.#skipped.delete(known);
    }
    for (const entry of skipped) this.#skipped.set(entry.relativePath, entry);
  }

  /** The problems of the skipped entries: a link is a warning (the build goes on without it), a nameless file an error. */
  #skippedProblems(kind: 'warning' | 'error'): BroadsheetError[] {
    const root = this.#root;
    if (root === null) return [];
    const wanted = kind === 'warning' ? 'link' : 'nameless';
    return [...this.#skipped.values()].filter((entry) => entry.reason === wanted).sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1)).map((entry) => skippedProblem(root, entry));
  }

  #allArticles(): RenderedArticle[] {
    return [...this.#sources.values()].flatMap((record) => record.articles);
  }

  /**
   * The articles now under each translation key that changed. A key's files
   * are named after it (`key.md`, `key.en.md`), so they are looked up by
   * name rather than by walking every source.
   */
  #dirtyMembers(config: Config): Map<string, RenderedArticle[]> {
    const members = new Map<string, RenderedArticle[]>();
    for (const key of this.#dirtyKeys) {
      const names = [`${key}.md`, ...config.languages.map((language) => `${key}.${language.code}.md`)];
      members.set(key, names.flatMap((name) => (this.#sources.get(name)?.key === key ? (this.#sources.get(name)?.articles ?? []) : [])));
    }
    return members;
  }

  /** Refuses output and cache folders that would take the user's own files with them (see write/folder-guard.ts). */
  #guardFolders(): BroadsheetError[] {
    const { outDir, cacheDir, contentDir, templatesDir, configFile } = this.#options;
    try {
      guardFolder(outDir, 'output', { contentDir, templatesDir, configFile });
      if (cacheDir) guardFolder(cacheDir, 'cache', { contentDir, templatesDir, configFile });
      return [];
    } catch (error) {
      return [...toBroadsheetErrors(error)];
    }
  }

  async #loadConfig(): Promise<void> {
    try {
      this.#config = await loadConfig(this.#options.configFile);
      this.#configError = [];
      const text = await readFile(this.#options.configFile, 'utf8').catch(() => '');
      this.#siteHash = hash(`${VERSION}\n${text}`);
      this.#converters = new Converters(this.#config.languages);
      await this.#structurerOf?.close();
      this.#structurerOf = null;
    } catch (error) {
      this.#config = null;
      this.#configError = toBroadsheetErrors(error);
    }
    // Everything depends on the configuration: start over.
    this.#listingCache = new Map();
    this.#templates = null;
    this.#sources.clear();
    this.#root = null;
    this.#archive = emptyArchive;
  }

  /** The structurer of the current configuration (its cache keys include the configuration). */
  #structurer(config: Config): SourceStructurer {
    const cacheDir = this.#options.cacheDir;
    this.#structurerOf ??= new SourceStructurer(config, this.#converters, {
      cache: cacheDir ? new CacheStore(cacheDir) : null,
      workers: this.#options.workers,
      known: this.#knownSources(),
      // A one-shot build renders each body once; watch mode keeps them at hand for its rebuilds.
      shelveBodies: this.#options.persist === true && !this.#options.dryRun,
      onProgress: this.#options.onProgress,
    });
    return this.#structurerOf;
  }

  /**
   * The text digests of the content files whose stamp is the one the previous
   * run recorded: the cache has their articles, and they need not be read.
   */
  #knownSources(): Map<string, string> {
    const recorded = this.#previousRun?.stamps;
    const now = this.#stamps;
    if (!recorded || !now) return new Map();
    return new Map([...(this.#previousRun?.sources ?? [])].filter(([file]) => now[file] !== undefined && now[file] !== 'missing' && recorded[file] === now[file]));
  }

  async #loadTemplates(config: Config): Promise<void> {
    const errors: BroadsheetError[] = [];
    let layers: TemplateLayers;
    try {
      layers = await resolveTemplateLayers(this.#options.templatesDir, this.#options.templatesRequired ?? false);
    } catch (error) {
      // A missing templates folder is the one problem to report: everything else would only repeat it.
      layers = { folders: [], project: null };
      errors.push(...toBroadsheetErrors(error));
    }
    const found = errors.length === 0;
    let catalogues = new Map<string, Catalogue>();
    if (found) {
      try {
        catalogues = await loadCatalogues(layers, config, this.#converters);
      } catch (error) {
        errors.push(...toBroadsheetErrors(error));
      }
    }
    const renderer = createTemplateRenderer(layers);
    if (found) errors.push(...(await compileAllTemplates(renderer, layers).catch((error: unknown) => toBroadsheetErrors(error))));
    if (errors.length === 0) errors.push(...(await checkCatalogueKeys(layers, catalogues)));
    const catalogueHashes = new Map([...catalogues].map(([code, catalogue]) => [code, hash(JSON.stringify([...catalogue.strings]))]));
    this.#templates = {
      context: { config, catalogues, templates: renderer, stylesheet: '/assets/style.css' },
      assets: found ? await loadAssets(layers) : [],
      set: await readTemplateSet(layers),
      catalogueHashes,
      errors,
    };
  }

  /**
   * Re-reads the content files that changed and forgets the removed ones.
   * A full pass (`changed` null) lists the whole folder; after a watcher's
   * report only the named paths are looked at — each may be a file, a
   * folder that was added or removed, or gone.
   */
  async #refreshSources(config: Config, changed: readonly string[] | null, timer: StepTimer): Promise<BroadsheetError[]> {
    if (changed === null || this.#root === null) {
      let listing: ContentListing;
      try {
        listing = await listContent(this.#options.contentDir);
      } catch (error) {
        return [...toBroadsheetErrors(error)];
      }
      timer.mark('list');
      this.#root = listing.root;
      this.#skipped = new Map(listing.skipped.map((entry) => [entry.relativePath, entry]));
      this.#sources = await this.#structurer(config).structureAll(listing.root, listing.relativePaths);
      timer.mark('parse');
      this.#dirtyAll = true;
      return [];
    }
    const root = this.#root;
    const reported = changed.map((file) => path.relative(root, path.resolve(file)).split(path.sep).join('/'));
    // Look at the reported paths' folders too: a rename or delete of a sibling (a translation moved
    // with its source) is then noticed even if its own event was missed.
    // A plain edit of a known file needs no look around; an add, delete or rename does.
    const plainEdits = reported.map((file) => this.#sources.has(file) && isFile(path.join(root, file)));
    const folders = [...new Set(reported.filter((_, index) => !plainEdits[index]).map((file) => path.posix.dirname(file)))].filter(
      (folder) => !folder.startsWith('..'),
    );
    const siblings = (await listChanged(root, folders.map((folder) => (folder === '.' ? '' : folder)), false)).found;
    const known = [...this.#sources.keys()].filter((file) => folders.includes(path.posix.dirname(file)));
    const named = [...new Set([...reported, ...known.filter((file) => !siblings.has(file)), ...[...siblings].filter((file) => !this.#sources.has(file))])];
    // Plain edits were just seen to be files; only the other paths need looking at.
    const edited = reported.filter((_, index) => plainEdits[index]);
    const looked = await listChanged(root, named.filter((file) => !edited.includes(file)));
    const present = new Set([...edited, ...looked.found]);
    this.#noteSkipped(named, looked.skipped);
    const forget = (knownPath: string): void => {
      const record = this.#sources.get(knownPath);
      this.#sources.delete(knownPath);
      if (record?.key != null) this.#dirtyKeys.add(record.key);
    };
    for (const relativePath of named) {
      if (present.has(relativePath)) continue;
      if (this.#sources.has(relativePath)) forget(relativePath);
      // A removed folder takes every file below it along.
      else for (const knownPath of [...this.#sources.keys()]) if (knownPath.startsWith(`${relativePath}/`) && !present.has(knownPath)) forget(knownPath);
    }
    timer.mark('list');
    for (const relativePath of [...present].sort()) {
      const previous = this.#sources.get(relativePath);
      const record = await this.#structurer(config).structureOne(root, relativePath);
      this.#sources.set(relativePath, record);
      for (const key of [previous?.key, record.key]) if (key != null) this.#dirtyKeys.add(key);
    }
    timer.mark('parse');
    return [];
  }

  /**
   * Plans the pages, renders those whose signature changed and writes those
   * whose bytes changed. After an edit only the pages of the changed
   * articles and the listings are looked at; the rest keep their records.
   */
  async #renderAndWrite(started: number, archive: Archive, config: Config, templates: Templates, timer: StepTimer): Promise<BuildReport> {
    let { textOnly, listings, siteFiles, candidates, gone } = this.#planPages(archive, config);
    // New addresses may clash with others; an unchanged set of pages was checked when it was made.
    if (!this.#hasOutput || gone.length > 0 || candidates.some((plan) => !this.#outputs.has(plan.url))) {
      const clashes = findClashes([...candidates.map(claimOf), ...fixedClaims(templates.assets, config)]);
      if (clashes.length > 0) return this.#failure(started, clashes);
    }
    timer.mark('plan');
    // A first build writes straight into a staging folder as it renders, never holding the whole site;
    // later builds collect the few changed files and apply them together.
    const writing = !this.#options.dryRun;
    if (writing && !this.#hasOutput) {
      try {
        guardOwnedOutput(this.#options.outDir, this.#options.force);
      } catch (error) {
        return this.#failure(started, toBroadsheetErrors(error));
      }
    }
    const staged = writing && !this.#hasOutput ? await StagedSite.open(this.#options.outDir) : null;
    // Watch mode replaces each changed file as soon as it is rendered (each replacement is atomic on its own);
    // a one-shot build collects them for its patch.
    const live = writing && !staged && !this.#options.persist;
    // A one-shot build's record of the output folder stops being true with the first page watch mode
    // replaces; forget it before any is (once: watch mode never writes one).
    if (live && this.#options.cacheDir && !this.#recordForgotten) {
      await removeManifest(this.#options.cacheDir, this.#options);
      this.#recordForgotten = true;
    }
    // A text-only edit keeps every article's URL, and so the shards; planning them walks every article page.
    // A new process has no layout yet to keep.
    const keepLayout = textOnly && this.#search.layout !== ShardLayout.empty;
    const shards = !config.search ? ShardLayout.empty : keepLayout ? this.#search.layout : planSearchShards(archive, config);
    const indexNow = config.search && !this.#options.deferSearch;
    // A full build hands each search shard to Pagefind as soon as its article pages are in the staging folder.
    const feeder = staged && indexNow ? new ShardFeeder(staged.dir, shards, archive) : null;
    const changedFiles: OutputFile[] = [];
    const writtenPaths: string[] = [];
    const keep = (file: OutputFile): void => {
      writtenPaths.push(file.path);
      if (staged) staged.write(file);
      else if (live) replaceFile(this.#options.outDir, file);
      else changedFiles.push(file);
    };
    const { rendered, updates, changedArticles, errors, signingMs } = await this.#renderPages(candidates, templates, keep, feeder);
    if (errors.length > 0) {
      await feeder?.cancel();
      await staged?.abandon();
      return this.#failure(started, errors);
    }
    timer.mark('render');
    timer.add('signature', signingMs);
    const assets = templates.assets;
    const assetHashes = new Map(assets.map((asset) => [asset.path, hash(asset.contents)]));
    try {
      for (const asset of assets) if (!this.#hasOutput || this.#assets.get(asset.path) !== assetHashes.get(asset.path)) keep(asset);
    } catch (error) {
      // Pagefind's process would otherwise outlive the failed build.
      await feeder?.cancel();
      throw error;
    }
    const deleted = [...gone.map(outputPathOf), ...[...this.#assets.keys()].filter((file) => !assetHashes.has(file))];
    // The list of the files this site owns changes only when pages or assets come or go.
    if (writing && !textOnly) {
      const marker = this.#ownershipMarker(gone, updates, assetHashes, config);
      if (marker) keep(marker);
    }
    // A one-shot build is not the base of another in this process: its page plans (a quarter of the
    // heap) are let go before the search index is built, the longest step, instead of held through it.
    const plansKept = !this.#options.persist;
    if (!plansKept) {
      candidates = listings = siteFiles = [];
      this.#listingCache = new Map();
      for (const [url, record] of updates) updates.set(url, { ...record, plan: null });
    }
    this.#search.markDirty(shards, staged ? null : [...changedArticles, ...gone]);
    if (writing) {
      await this.#writeOutput({ staged, feeder, shards, archive, indexing: indexNow && this.#search.hasDirty, changedFiles, deleted, anyChange: writtenPaths.length > 0 || deleted.length > 0, timer });
    }
    timer.mark(indexNow ? 'search' : 'write');
    await this.#structurerOf?.flush();
    // Only now, with everything written, does this build become the base of the next.
    for (const url of gone) this.#outputs.delete(url);
    for (const [url, record] of updates) this.#outputs.set(url, record);
    this.#assets = assetHashes;
    this.#search.written(shards, archive);
    this.#archive = archive;
    this.#archiveIntact = true;
    this.#lastListings = plansKept ? listings : null;
    this.#lastSiteFiles = plansKept ? siteFiles : null;
    this.#dirtyKeys.clear();
    this.#dirtyAll = false;
    this.#signedWith = templates;
    const warnings = [...this.#skippedProblems('warning'), ...[...archive.groups.values()].flatMap((group) => this.#warningsOf(group))];
    const articles = [...this.#sources.values()].filter((record) => record.file).length;
    timer.mark('check');
    if (this.#options.persist && this.#options.cacheDir && this.#stamps && !this.#options.dryRun) {
      await this.#saveRecord(this.#options.cacheDir, this.#stamps, archive, warnings, articles);
      timer.mark('manifest');
    }
    return {
      pages: this.#outputs.size,
      articles,
      rendered,
      written: writtenPaths,
      deleted,
      durationMs: performance.now() - started,
      warnings,
      errors: [],
      steps: timer.steps,
    };
  }

  /**
   * The pages this build must consider. After an edit that changed only
   * articles' text, every listing, the sitemaps and robots.txt stay as they
   * were (only the feeds carry the text), so the previous plans stand and the
   * whole archive is not walked again.
   */
  #planPages(archive: Archive, config: Config): PagePlanning {
    const textOnly =
      this.#textOnlySincePreviousRun ||
      (this.#replacedGroups !== null && this.#lastListings !== null && this.#lastSiteFiles !== null && this.#onlyTextChanged(archive));
    this.#textOnlySincePreviousRun = false;
    if (textOnly) {
      const feeds = planFeeds(archive, config);
      return {
        textOnly,
        listings: [...(this.#lastListings ?? []).filter((plan) => plan.kind !== 'feed'), ...feeds],
        siteFiles: this.#lastSiteFiles ?? [],
        // The edited articles' own pages first: in watch mode each is on disk as soon as it is rendered.
        candidates: [...this.#touchedGroups(archive).flatMap((group) => this.#plansOf(group, config, neighboursOf(archive, group))), ...feeds],
        gone: [],
      };
    }
    const listings = planListings(archive, config, this.#listingCache).map((plan) => this.#reuseListing(plan));
    const neighbours = findNeighbours(archive);
    // Unchanged articles with unchanged neighbours keep their plan objects, so the render loop passes them by identity.
    // Article pages come first, folder by folder, so that a full build can index each folder's search shard while it renders the rest.
    const pages = [...[...archive.groups.values()].flatMap((group) => this.#plansOf(group, config, neighbours)), ...listings];
    const siteFiles = planSiteFiles(archive, pages, config).map((plan) => this.#reuseListing(plan));
    const candidates = [...pages, ...siteFiles];
    const planned = new Set(candidates.map((plan) => plan.url));
    return { textOnly, listings, siteFiles, candidates, gone: [...this.#outputs.keys()].filter((url) => !planned.has(url)) };
  }

  /**
   * Renders the candidates whose signature changed and hands `keep` each page
   * whose bytes changed; the rest are passed by (by identity when their plan
   * object is the one rendered last time).
   */
  async #renderPages(candidates: readonly PagePlan[], templates: Templates, keep: (file: OutputFile) => void, feeder: ShardFeeder | null): Promise<RenderOutcome> {
    const outcome: RenderOutcome = { rendered: [], updates: new Map(), changedArticles: [], errors: [], signingMs: 0 };
    const reusable = this.#templates === this.#signedWith;
    let lastTurn = performance.now();
    const onProgress = this.#options.onProgress;
    for (const [index, plan] of candidates.entries()) {
      onProgress?.('render', index + 1, candidates.length);
      const signStart = performance.now();
      const previous = this.#outputs.get(plan.url);
      if (previous && previous.plan === plan && reusable && this.#hasOutput) continue;
      const unchangedPlan = previous?.plan && reusable && (previous.plan === plan || samePlan(previous.plan, plan));
      const signature = unchangedPlan ? previous.signature : this.#signature(plan, templates);
      outcome.signingMs += performance.now() - signStart;
      if (previous && previous.signature === signature && this.#hasOutput) {
        if (previous.plan !== plan) outcome.updates.set(plan.url, { ...previous, plan });
        continue;
      }
      try {
        const file = renderPage(plan, templates.context);
        const contentHash = hash(file.contents);
        outcome.rendered.push(plan.url);
        outcome.updates.set(plan.url, { plan, signature, hash: contentHash });
        if (!this.#hasOutput || previous?.hash !== contentHash) {
          keep(file);
          if (plan.kind === 'article') {
            outcome.changedArticles.push(plan.url);
            if (outcome.errors.length === 0) feeder?.written(plan.url);
          }
        }
      } catch (error) {
        outcome.errors.push(...toBroadsheetErrors(error));
      }
      // Rendering is synchronous; Pagefind's replies are read only when the event loop turns.
      if (feeder?.busy && performance.now() - lastTurn > FEED_TURN_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastTurn = performance.now();
      }
    }
    return outcome;
  }

  /**
   * Puts a build's files in place: a first build swaps its staging folder in
   * (search bundles inside), a one-shot rebuild applies one patch (changed
   * bundles with it), and watch mode, whose pages are already in place,
   * removes the gone files and re-indexes unless that is deferred.
   */
  async #writeOutput(write: OutputWrite): Promise<void> {
    const { staged, feeder, shards, archive, indexing, changedFiles, deleted, timer } = write;
    // The record of the output folder is stale from the first change on; a new one follows the write.
    const cacheDir = this.#options.cacheDir;
    if (cacheDir && (write.anyChange || staged)) await removeManifest(cacheDir, this.#options);
    if (staged) {
      timer.mark('write');
      // The search bundles are built inside the staging folder, so they are swapped in with the pages.
      const indexRest = async (dir: string): Promise<void> => {
        this.#options.onProgress?.('search');
        if (feeder) this.#search.indexedEarly(await feeder.finish());
        if (this.#search.hasDirty) await this.#search.bundlesInto(dir, dir, shards, archive, this.#editionPaths());
      };
      await staged.commit(indexing ? indexRest : undefined);
    } else if (this.#options.persist) {
      // The changed shards' bundles join the patch, so pages and index change together or not at all.
      const prepare = indexing
        ? (newDir: string) => {
            this.#options.onProgress?.('search');
            return this.#search.bundlesInto(newDir, this.#options.outDir, shards, archive, this.#editionPaths());
          }
        : undefined;
      await applyPatch(this.#options.outDir, changedFiles, deleted, prepare);
      timer.mark('write');
    } else {
      // The changed pages were replaced as they were rendered; what is left is to remove the gone ones.
      await removeFiles(this.#options.outDir, deleted);
      timer.mark('write');
      if (indexing) {
        this.#search.written(shards, archive);
        await this.#search.indexLive(this.#options.outDir, this.#editionPaths());
      }
    }
    this.#hasOutput = true;
  }

  /** Leaves the record a later one-shot build starts from: the inputs' stamps, every output's signature and hash, the outlines. */
  async #saveRecord(cacheDir: string, stamps: Record<string, string>, archive: Archive, warnings: readonly BroadsheetError[], articles: number): Promise<void> {
    await this.#structurerOf?.saveOutlines();
    await saveManifest(cacheDir, this.#options, {
      stamps,
      outputs: [...this.#outputs].map(([url, record]) => [url, record.signature, record.hash] as const),
      assets: [...this.#assets],
      sources: this.#sourceDigests(),
      pages: this.#outputs.size,
      articles,
      warnings: warnings.map(toErrorRecord),
      searchShards: this.#search.indexedIds,
      faces: [...archive.groups].map(([key, group]) => [key, groupFace(group)] as const),
    });
  }

  /**
   * The output folder's ownership marker (see write/ownership.ts) after this
   * build, or null when it is the one already there: the pages the output
   * will have, the assets, and the search bundles' folders.
   */
  #ownershipMarker(gone: readonly string[], updates: ReadonlyMap<string, OutputRecord>, assets: ReadonlyMap<string, string>, config: Config): OutputFile | null {
    const goneUrls = new Set(gone);
    const urls = [...[...this.#outputs.keys()].filter((url) => !goneUrls.has(url)), ...[...updates.keys()].filter((url) => !this.#outputs.has(url))];
    const bundles = config.search ? config.languages.map((language) => `${language.path}/pagefind/`) : [];
    const marker = ownershipMarker([...urls.map(outputPathOf), ...assets.keys()], bundles);
    this.#markerText ??= this.#hasOutput ? readOwnershipMarker(this.#options.outDir) : null;
    if (this.#hasOutput && marker.contents === this.#markerText) return null;
    this.#markerText = marker.contents as string;
    return marker;
  }

  /**
   * The previous plan of a listing page when it lists the same entries: then
   * the page is known unchanged by identity, without comparing its data.
   */
  #reuseListing(plan: PagePlan): PagePlan {
    const previous = this.#outputs.get(plan.url)?.plan;
    const same =
      previous != null &&
      previous.kind === plan.kind &&
      previous.template === plan.template &&
      previous.language === plan.language &&
      previous.identity !== undefined &&
      plan.identity !== undefined &&
      previous.identity.length === plan.identity.length &&
      previous.identity.every((value, index) => value === plan.identity?.[index]) &&
      sameAlternates(previous.alternates, plan.alternates) &&
      sameAlternates(previous.switcher ?? [], plan.switcher ?? []);
    return same && previous ? previous : plan;
  }

  /**
   * True when every changed article kept its editions and their cards, all
   * that listings, sitemaps and neighbours show of it, so that only its
   * body changed.
   */
  #onlyTextChanged(archive: Archive): boolean {
    for (const [key, before] of this.#replacedGroups ?? []) {
      const after = archive.groups.get(key);
      if (!before || !after || before.editions.size !== after.editions.size) return false;
      for (const [code, old] of before.editions) {
        const now = after.editions.get(code);
        if (!now || cardOf(now).face !== cardOf(old).face) return false;
      }
    }
    return true;
  }

  /**
   * True for the first build of a new process when, since the run whose
   * record it starts from, only content files changed, none was added or
   * removed, and every group's cards are as they were then: the previous
   * run's listings and the other articles' pages stand, as in a watch-mode
   * text edit. Notes the changed files' groups as the ones to render.
   */
  #onlyTextChangedSincePreviousRun(archive: Archive): boolean {
    const previous = this.#previousRun;
    this.#previousRun = null;
    const now = this.#stamps;
    const root = this.#root;
    if (!previous || !now || root === null || !this.#hasOutput) return false;
    // A template, catalogue, configuration or gazetteer edit changes pages no article names.
    if (changedStamps(previous.stamps, now).some((file) => !isInside(file, this.#options.contentDir))) return false;
    const current = new Map(this.#sourceDigests());
    if (current.size !== previous.sources.size || archive.groups.size !== previous.faces.size) return false;
    for (const file of previous.sources.keys()) if (!current.has(file)) return false;
    for (const [key, group] of archive.groups) if (previous.faces.get(key) !== groupFace(group)) return false;
    const changed = [...this.#sources].filter(([relativePath, record]) => previous.sources.get(path.join(root, relativePath)) !== record.textDigest);
    for (const [, record] of changed) if (record.key != null) this.#dirtyKeys.add(record.key);
    return true;
  }

  /**
   * The changed articles' groups. Their neighbours show them by their cards,
   * which a text-only edit leaves as they were, so the neighbours' pages stand.
   */
  #touchedGroups(archive: Archive): ArticleGroup[] {
    const touched: ArticleGroup[] = [];
    for (const key of this.#dirtyKeys) {
      const group = archive.groups.get(key);
      if (group) touched.push(group);
    }
    return touched;
  }

  /**
   * Builds now what the first edit would otherwise wait for: an edited file
   * is structured in this thread, with the converters of the derived
   * editions (watch mode calls this after its first build).
   */
  prepareForEdits(): void {
    this.#converters.prepare();
  }

  /** Stops the worker thread kept for edits (watch mode calls this when it ends). */
  async close(): Promise<void> {
    await this.#structurerOf?.close();
  }

  /**
   * Re-indexes the written site for search (watch mode calls this when edits
   * have settled). It runs beside the next edits' rebuilds, so it leaves
   * them a core: one Pagefind service fewer than there are cores.
   */
  async indexSearch(): Promise<void> {
    if (this.#config?.search && this.#hasOutput && !this.#options.dryRun && this.#search.hasDirty) {
      await this.#search.indexLive(this.#options.outDir, this.#editionPaths(), Math.max(1, availableParallelism() - 1));
    }
  }

  #sourceDigests(): [string, string][] {
    const root = this.#root;
    if (root === null) return [];
    return [...this.#sources].flatMap(([relativePath, record]) => (record.textDigest ? [[path.join(root, relativePath), record.textDigest] as [string, string]] : []));
  }

  #editionPaths(): string[] {
    return this.#config?.languages.map((language) => language.path) ?? [];
  }

  #plansOf(group: ArticleGroup, config: Config, neighbours: Neighbours): PagePlan[] {
    const around = [...group.editions.values()].flatMap((entry) => [neighbours.get(entry)?.newer ?? null, neighbours.get(entry)?.older ?? null]);
    const memo = this.#groupPlans.get(group);
    if (memo && memo.around.length === around.length && memo.around.every((entry, index) => entry === around[index])) return memo.plans;
    const plans = planArticle(group, config, neighbours);
    this.#groupPlans.set(group, { around, plans });
    return plans;
  }

  readonly #groupWarnings = new WeakMap<ArticleGroup, BroadsheetError[]>();

  /** The warnings of a group's hand-written files: translations whose structure differs from their source, large files, dates to come. */
  #warningsOf(group: ArticleGroup): BroadsheetError[] {
    let warnings = this.#groupWarnings.get(group);
    if (!warnings) {
      const written = [...group.editions.values()].filter((edition) => !edition.derived);
      const limits = this.#config?.limits;
      warnings = [
        ...written.flatMap((edition) => (limits ? articleWarnings(edition.article, limits, Date.now()) : [])),
        ...written.filter((edition) => edition !== group.source).flatMap((edition) => checkAlignment(group.source.article, edition.article)),
      ];
      this.#groupWarnings.set(group, warnings);
    }
    return warnings;
  }

  #signature(plan: PagePlan, templates: Templates): string {
    return pageSignature(plan, {
      templates: templates.set.closureHash(plan.template),
      catalogue: templates.catalogueHashes.get(plan.language.code) ?? '',
      site: this.#siteHash,
    });
  }

  #failure(started: number, found: readonly BroadsheetError[]): BuildReport {
    // A broken template fails on every page that uses it; say so once.
    const seen = new Set<string>();
    const errors = found.filter((error) => {
      const key = `${error.code}|${error.file}|${error.line}|${error.column}|${error.message}`;
      return !seen.has(key) && Boolean(seen.add(key));
    });
    return { pages: 0, articles: 0, rendered: [], written: [], deleted: [], durationMs: performance.now() - started, warnings: [], errors, steps: {} };
  }
}

/** The problems of building an archive from `articles`, or none. */
function archiveProblems(articles: readonly RenderedArticle[], config: Config): readonly BroadsheetError[] {
  try {
    toArchive(articles, config);
    return [];
  } catch (error) {
    return toBroadsheetErrors(error);
  }
}

/** The output paths that are not pages: the assets, the ownership marker, the search bundles' folders. */
function fixedClaims(assets: readonly OutputFile[], config: Config): Claim[] {
  return [
    ...assets.map((asset) => ({ path: asset.path, by: `the asset ${asset.path}` })),
    { path: OWNERSHIP_MARKER, by: 'the ownership marker' },
    ...(config.search ? config.languages.map((language) => ({ path: `${language.path}/pagefind/`, by: `the search bundles of ${language.name}` })) : []),
  ];
}

/** What is said of a content entry that is not read (see load/scan.ts). */
function skippedProblem(root: string, entry: SkippedEntry): BroadsheetError {
  const file = displayPath(path.join(root, entry.relativePath));
  if (entry.reason === 'nameless') {
    return new BroadsheetError('BS212', `${file} cannot give a web address: its name is nothing but dots`, { file });
  }
  return new BroadsheetError('BS214', `${file} is a symbolic link, which broadsheet does not follow: it is not published`, { file });
}

/** The newer and older neighbours of one group's entries, found by their place in each edition. */
function neighboursOf(archive: Archive, group: ArticleGroup): Neighbours {
  const neighbours = new Map<ArchiveEntry, { newer: ArchiveEntry | null; older: ArchiveEntry | null }>();
  for (const entry of group.editions.values()) {
    const list = archive.editions.get(entry.language.code) ?? [];
    const index = list.indexOf(entry);
    neighbours.set(entry, { newer: list[index - 1] ?? null, older: list[index + 1] ?? null });
  }
  return neighbours;
}

/**
 * A digest of what other pages show of a group's editions: their languages
 * and cards (see structure/card.ts), kept in the output record for the next
 * run to compare with.
 */
function groupFace(group: ArticleGroup): string {
  let face = groupFaces.get(group);
  if (face === undefined) {
    face = hash([...group.editions].map(([code, entry]) => `${code} ${cardOf(entry).face}`).join('\n'));
    groupFaces.set(group, face);
  }
  return face;
}

// A build compares every group's face with the record, then records them all: each is worked out once.
const groupFaces = new WeakMap<ArticleGroup, string>();

function sameAlternates(a: PagePlan['alternates'], b: PagePlan['alternates']): boolean {
  return a.length === b.length && a.every((alternate, index) => alternate.language === b[index]?.language && alternate.url === b[index]?.url);
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

// How long rendering may keep the event loop to itself while Pagefind waits for its next batch of pages.
const FEED_TURN_MS = 10;


function outputPathOf(url: string): string {
  return url.endsWith('/') ? `${url.slice(1)}index.html` : url.slice(1);
}

function hash(contents: string | Uint8Array): string {
  return createHash('sha1').update(contents).digest('hex');
}
