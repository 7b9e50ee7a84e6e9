import { availableParallelism } from 'node:os';
import type { Config } from '../../model/config.js';
import { BroadsheetError, toBroadsheetErrors } from '../../diagnostics/error.js';
import path from 'node:path';
import { nameSource, readSource } from '../../load/scan.js';
import { BodyShelf, type ShelfEntry } from '../../cache/bodies.js';
import { OutlineBook, packOutline, type PackedOutline } from '../../cache/outlines.js';
import type { CacheStore } from '../../cache/store.js';
import { digest } from '../../digest.js';
import type { RenderedArticle, SourceFile } from '../../model/article.js';
import type { BuildProgress } from '../../model/build.js';
import { VERSION } from '../../version.js';
import type { ConverterLookup } from '../../i18n/derive.js';
import { isCheapToParse } from '../../parse/limits.js';
import { ParsePool } from './pool.js';
import { compileFile } from './compile-file.js';

/** Where a content file is and what it is called, without its text. */
export type SourceFileNames = Omit<SourceFile, 'text' | 'bytes'>;

/** One content file as the last build saw it. */
export interface SourceRecord {
  /** The translation key the file belongs to, when its name could be read. */
  readonly key: string | null;
  /** The file's names; its text is not kept once its articles are made (the archive would hold every source twice). */
  readonly file: SourceFileNames | null;
  readonly articles: readonly RenderedArticle[];
  readonly errors: readonly BroadsheetError[];
  /** Digest of the file's text, when it was read or known; kept in the output record (see `SourceOptions.known`). */
  readonly textDigest?: string;
}

export interface SourceOptions {
  /** Where structured articles are kept between runs; null bypasses the cache (`--no-cache`). */
  readonly cache: CacheStore | null;
  /** Worker threads for parsing; 0 parses in the main thread. Default: one per core. */
  readonly workers?: number;
  /**
   * Text digests of files known unchanged since the last build (absolute
   * path → digest): the output record gives them for files whose stamp is
   * the same. Such a file is looked up in the cache without being read.
   */
  readonly known?: ReadonlyMap<string, string>;
  /**
   * Keep the articles' body HTML in the cache rather than in memory, read
   * back when a page shows it (see cache/bodies.ts). For one-shot builds,
   * which render each body once; watch mode keeps bodies for fast rebuilds.
   * Without a cache, bodies stay in memory.
   */
  readonly shelveBodies?: boolean;
  /** Told how far a long pass has got (see BuildOptions.onProgress). */
  readonly onProgress?: BuildProgress;
}

// Below this many files to parse, starting worker threads (each loads the Markdown tools and the
// converters, a few hundred milliseconds) costs more than it saves: files cheap to parse are parsed in the
// main thread, and only the others in a worker, under its time budget.
const POOL_THRESHOLD = 64;
// Files read, looked up and parsed at once: enough to keep every worker busy, few enough to bound memory.
const IN_FLIGHT = 64;

/**
 * Turns content files into structured, rendered articles: from the cache
 * when a file's content was seen before, otherwise parsed — in worker
 * threads when there are many. The result depends only on the files, so
 * it is the same whatever the number of workers or the state of the cache.
 */
export class SourceStructurer {
  readonly #config: Config;
  readonly #options: SourceOptions;
  readonly #configDigest: string;
  readonly #converters: ConverterLookup;
  readonly #pendingWrites = new Set<Promise<unknown>>();
  readonly #shelf: BodyShelf | null;
  /** Outlines of the entries in use, kept together for the next one-shot build (with a shelf only: without one, entries are read whole anyway). */
  readonly #outlines: OutlineBook | null;
  /** Watch mode's worker for edited files that could be slow to parse; started with the first such edit, kept for the next. */
  #editPool: ParsePool | null = null;

  constructor(config: Config, converters: ConverterLookup, options: SourceOptions) {
    this.#config = config;
    this.#converters = converters;
    this.#options = options;
    this.#configDigest = digest(VERSION, JSON.stringify(config));
    this.#shelf = options.shelveBodies && options.cache ? new BodyShelf(options.cache) : null;
    this.#outlines = this.#shelf && options.cache ? new OutlineBook(options.cache.dir) : null;
    // Only files known unchanged are looked up in the book; a first build has none.
    if (options.known?.size) this.#outlines?.load();
  }

  /**
   * Structures every named file; the map follows the order of `relativePaths`.
   * Files are read and looked up in the cache first, so that worker threads
   * are started only for the files left to parse, and no more threads than
   * there are such files.
   */
  async structureAll(root: string, relativePaths: readonly string[]): Promise<Map<string, SourceRecord>> {
    const looked = relativePaths.map((relativePath) => this.#lookUp(root, relativePath));
    const misses = looked.filter((item) => 'key' in item);
    // Many files are parsed on every core; a few are parsed here, but for any that could take long.
    const inWorkers = (file: SourceFile): boolean => misses.length >= POOL_THRESHOLD || !isCheapToParse(file.text);
    const pool = this.#threads > 0 && misses.some((item) => inWorkers(item.file)) ? new ParsePool(this.#config, this.#threads, { cacheDir: this.#options.cache?.dir }) : null;
    let done = 0;
    try {
      const records = await drainLimited(looked, IN_FLIGHT, async (item) => {
        const record = 'record' in item ? item.record : await this.#parse(root, item.file, item.key, item.textDigest, pool && inWorkers(item.file) ? pool : null);
        this.#options.onProgress?.('parse', ++done, looked.length);
        return record;
      });
      return new Map(relativePaths.map((relativePath, index) => [relativePath, records[index] as SourceRecord]));
    } finally {
      await pool?.destroy();
    }
  }

  /**
   * Structures one file (watch mode: the files of one edit). A file cheap to
   * parse is parsed here, in a few milliseconds; any other in a worker kept
   * between edits, under its time budget, so the dev server answers meanwhile.
   */
  async structureOne(root: string, relativePath: string): Promise<SourceRecord> {
    // A file an edit names is read: what the previous run's record said of it held when the first build looked.
    const item = this.#lookUp(root, relativePath, false);
    if ('record' in item) return item.record;
    if (this.#threads > 0 && !isCheapToParse(item.file.text)) this.#editPool ??= new ParsePool(this.#config, 1, { keepAlive: true, cacheDir: this.#options.cache?.dir });
    return this.#parse(root, item.file, item.key, item.textDigest, isCheapToParse(item.file.text) ? null : this.#editPool);
  }

  /** Stops the worker threads kept for later. */
  async close(): Promise<void> {
    await this.#editPool?.destroy();
    this.#editPool = null;
  }

  /** Worker threads for parsing: the option, or one per core. */
  get #threads(): number {
    return this.#options.workers ?? availableParallelism();
  }

  /** Waits for cache writes still in flight. */
  async flush(): Promise<void> {
    await Promise.all([...this.#pendingWrites]);
  }

  /** Keeps the outlines of the entries this build used for the next one (a one-shot build that is recorded; an outline is never stale, so a build that fails after saving them leaves nothing wrong). */
  async saveOutlines(): Promise<void> {
    await this.#outlines?.save();
  }

  /**
   * A file's record when it can be had without parsing (from the cache, or a
   * read error); otherwise the file to parse. `trustKnown`: a file the
   * previous run's record knows unchanged is taken from the cache unread.
   */
  #lookUp(root: string, relativePath: string, trustKnown = true): { record: SourceRecord } | { file: SourceFile; key: string | null; textDigest: string } {
    const known = trustKnown ? this.#fromKnown(root, relativePath) : null;
    if (known) return { record: known };
    let file: SourceFile | null = null;
    try {
      file = readSource(root, relativePath, this.#config);
      // Without a cache nothing is looked up by it, and no record is kept.
      const textDigest = this.#options.cache ? digest(file.text) : '';
      const key = this.#keyOf(file, textDigest);
      const cached = key ? this.#options.cache?.get<RenderedArticle[]>(key) : undefined;
      if (key && cached) return { record: { key: file.key, file: namesOf(file), articles: this.#shelved(root, key, file, textDigest, { whole: cached }), errors: [], textDigest } };
      return { file, key, textDigest };
    } catch (error) {
      return { record: { key: file?.key ?? null, file: file && namesOf(file), articles: [], errors: toBroadsheetErrors(error) } };
    }
  }

  /** The cached record of a file known unchanged, or null when it must be read. */
  #fromKnown(root: string, relativePath: string): SourceRecord | null {
    const textDigest = this.#options.known?.get(path.join(root, relativePath));
    if (textDigest === undefined || !this.#options.cache) return null;
    try {
      const names = nameSource(root, relativePath, this.#config);
      const key = this.#keyOf(names, textDigest) as string;
      const outlines = this.#outlines?.take(key);
      const whole = outlines ? undefined : this.#options.cache.get<RenderedArticle[]>(key);
      const found = outlines ? { outlines } : whole ? { whole } : null;
      return found ? { key: names.key, file: names, articles: this.#shelved(root, key, names, textDigest, found), errors: [], textDigest } : null;
    } catch {
      return null;
    }
  }

  async #parse(root: string, file: SourceFile, key: string | null, textDigest: string, pool: ParsePool | null): Promise<SourceRecord> {
    try {
      // Without a pool (--workers 0) the file is parsed in this thread, with no time budget.
      const articles = pool ? await pool.structure(file) : compileFile(file, this.#config, this.#converters);
      const names = namesOf(file);
      if (!key) return { key: file.key, file: names, articles, errors: [], textDigest };
      // A body is shelved only once its entry is on disk to be read back.
      const stored = this.#remember(key, articles);
      const kept = this.#shelf && (await stored) ? this.#shelved(root, key, names, textDigest, { whole: articles }) : articles;
      return { key: file.key, file: names, articles: kept, errors: [], textDigest };
    } catch (error) {
      return { key: file.key, file: namesOf(file), articles: [], errors: toBroadsheetErrors(error) };
    }
  }

  /** Everything a file's articles are made from: its text (by digest), its names, the configuration and broadsheet's version. */
  #keyOf(file: SourceFileNames, textDigest: string): string | null {
    if (!this.#options.cache) return null;
    return digest(this.#configDigest, file.path, file.relativePath, file.key, file.lang, textDigest);
  }

  /** Stores a file's articles in the cache; resolves true once they are on disk. */
  #remember(key: string, articles: RenderedArticle[]): Promise<boolean> {
    const write = (this.#options.cache?.set(key, articles) ?? Promise.resolve(false)).finally(() => this.#pendingWrites.delete(write));
    this.#pendingWrites.add(write);
    return write;
  }

  /**
   * A file's articles, shelved when bodies are kept in the cache (the entry
   * under `key` holds them): from the articles themselves, or from their
   * outlines when the outline book had them.
   */
  #shelved(root: string, key: string, names: SourceFileNames, textDigest: string, found: Found): readonly RenderedArticle[] {
    if (!this.#shelf) {
      // Without a shelf there is no outline book: these are whole articles.
      if ('whole' in found) return found.whole;
      throw new Error(`Internal error: outlines of ${names.relativePath} without a shelf for their bodies`);
    }
    const remake = (): readonly RenderedArticle[] => {
      const file = readSource(root, names.relativePath, this.#config);
      if (digest(file.text) !== textDigest) {
        throw new BroadsheetError('BS213', 'the file changed while the site was being built', { file: names.path });
      }
      return compileFile(file, this.#config, this.#converters);
    };
    const entry: ShelfEntry = { key, remake };
    const outlines = 'outlines' in found ? found.outlines : found.whole.map(packOutline);
    this.#outlines?.note(key, outlines);
    return this.#shelf.shelve(entry, outlines);
  }

}

/** A file's articles as found: whole (parsed, or read from their entry), or their outlines. */
type Found = { readonly whole: readonly RenderedArticle[] } | { readonly outlines: readonly PackedOutline[] };

function namesOf(file: SourceFile): SourceFileNames {
  return { path: file.path, relativePath: file.relativePath, key: file.key, lang: file.lang };
}

/**
 * `items.map(task)` with at most `limit` tasks running at once, results in
 * order. Each item is taken out of `items` as its task starts, so that what
 * it holds (a file's text) can be collected once its task is done rather
 * than when the whole list is.
 */
async function drainLimited<Item, Result>(items: (Item | undefined)[], limit: number, task: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results = new Array<Result>(items.length);
  let next = 0;
  const run = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index] as Item;
      items[index] = undefined;
      results[index] = await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}
