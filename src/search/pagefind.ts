import { existsSync, readFileSync } from 'node:fs';
import { unlessMissing } from '../text/absent.js';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import { startingAtLowPriority } from './low-priority.js';
import type { SearchShard, ShardPages } from './shards.js';

const BATCH = 64;
// How often a shard under way looks whether the hold has lifted.
const HOLD_POLL_MS = 50;

/**
 * Builds the Pagefind bundle of each shard from its pages, as `read` gives
 * them, into the folder `bundleDir` names (which must not exist yet).
 * Pagefind reads only the part of a page marked `data-pagefind-body` (the
 * article, not its navigation) and segments Chinese text itself.
 *
 * @throws {BroadsheetError} BS401 when Pagefind fails.
 */
export async function buildBundles(
  dirty: readonly ShardPages[],
  read: (page: string) => string,
  bundleDir: (shard: SearchShard) => string,
  options: IndexingOptions = {},
): Promise<SearchShard[]> {
  const writer = new BundleWriter(read, bundleDir, options);
  for (const shard of dirty) writer.add(shard);
  await writer.finish();
  return writer.built;
}

/** How a {@link BundleWriter} shares the machine. */
export interface IndexingOptions {
  /** Shards indexed at once, each through a Pagefind process of its own; default one per core. */
  readonly concurrency?: number;
  /**
   * Asked before each shard starts and between the batches of one: while
   * it is true, the shards not started yet are left for another time and
   * one under way pauses (watch mode, while a rebuild wants the cores).
   */
  readonly hold?: () => boolean;
  /** Ends the indexing: the shards under way fail at once and leave nothing behind (a session that closes). */
  readonly signal?: AbortSignal;
  /** Pagefind's processes run at the lowest priority, on the cores nothing else wants (watch mode's background index). */
  readonly background?: boolean;
}

/** Pagefind's Node API: one loaded copy of the `pagefind` module. */
type PagefindApi = typeof import('pagefind');

/**
 * Loads `count` copies of Pagefind's Node API, each with a service process
 * of its own. The module keeps one service in a module variable, and a
 * service works on one request at a time, so two shards through one service
 * take nearly twice as long as through two (docs/performance.md). A copy
 * loaded under a URL of its own is a separate module instance, so one copy
 * per core indexes shards on every core. Should a later Pagefind share its
 * service between copies, tests/search/pagefind.test.ts fails.
 */
function loadServices(count: number): Promise<PagefindApi[]> {
  const url = import.meta.resolve('pagefind');
  return Promise.all(Array.from({ length: count }, (_, copy) => import(copy === 0 ? url : `${url}?service=${copy}`) as Promise<PagefindApi>));
}

/**
 * One Pagefind session that indexes shards as they are handed to it, each
 * through a service process of its own, `concurrency` at once (one per core
 * by default). A full build hands each shard over as soon as its pages are
 * written, so that indexing overlaps rendering instead of waiting for its
 * end. A service holds one shard's index at a time, which bounds Pagefind's
 * memory by the largest shard rather than the archive.
 */
export class BundleWriter {
  readonly #read: (page: string) => string;
  readonly #bundleDir: (shard: SearchShard) => string;
  readonly #services: Promise<PagefindApi[]>;
  /** Numbers of the services that have no shard in hand. */
  readonly #free: number[];
  readonly #waiting: ShardPages[] = [];
  readonly #built: SearchShard[] = [];
  readonly #hold: (() => boolean) | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #background: boolean;
  #running = 0;
  #failure: unknown = null;
  #idle: (() => void) | null = null;

  constructor(read: (page: string) => string, bundleDir: (shard: SearchShard) => string, { concurrency = availableParallelism(), hold, signal, background = false }: IndexingOptions = {}) {
    this.#read = read;
    this.#bundleDir = bundleDir;
    this.#hold = hold;
    this.#signal = signal;
    this.#background = background;
    const count = Math.max(1, concurrency);
    this.#free = Array.from({ length: count }, (_, service) => service);
    this.#services = loadServices(count);
    // A copy that fails to load is reported by the first shard that waits for it, not as an unhandled rejection.
    this.#services.catch(() => undefined);
  }

  /** The shards whose bundles were written. */
  get built(): SearchShard[] {
    return [...this.#built];
  }

  /** True while a shard is being indexed or waits to be. */
  get busy(): boolean {
    return this.#running > 0 || this.#waiting.length > 0;
  }

  /** Queues a shard; it is indexed in the background. */
  add(shard: ShardPages): void {
    this.#waiting.push(shard);
    this.#startWaiting();
  }

  /** Drops the shards still waiting, waits for those being indexed and closes Pagefind (a failed build). */
  async cancel(): Promise<void> {
    this.#waiting.length = 0;
    // The build is failing already, with its own errors: a shard that failed too adds nothing to them.
    await this.finish().catch(() => undefined);
  }

  /**
   * Waits for every queued shard and closes Pagefind's services.
   *
   * @throws {BroadsheetError} BS401 for the first shard that failed.
   */
  async finish(): Promise<void> {
    try {
      while (this.busy) await new Promise<void>((resolve) => (this.#idle = resolve));
    } finally {
      // Services that failed to load have nothing to close; the failure is the shard's, thrown below.
      const services = await this.#services.catch(() => [] as PagefindApi[]);
      await Promise.all(services.map((service) => service.close()));
    }
    if (this.#failure) throw this.#failure;
  }

  #startWaiting(): void {
    if (this.#waiting.length > 0 && this.#hold?.()) {
      this.#waiting.length = 0;
      if (!this.busy) this.#idle?.();
    }
    while (this.#free.length > 0 && this.#waiting.length > 0) {
      const next = this.#waiting.shift() as ShardPages;
      const service = this.#free.pop() as number;
      this.#running++;
      void this.#index(next, service)
        .catch((error: unknown) => {
          this.#failure ??= error;
        })
        .then(() => {
          this.#running--;
          this.#free.push(service);
          this.#startWaiting();
          if (!this.busy) this.#idle?.();
        });
    }
  }

  /**
   * Waits while `hold` says a rebuild wants the cores: a shard under way
   * sends Pagefind nothing meanwhile, so its process sits idle between
   * batches instead of taking a core from the rebuild.
   */
  async #heldBack(): Promise<void> {
    while (this.#hold?.() && !this.#signal?.aborted) await new Promise((resolve) => setTimeout(resolve, HOLD_POLL_MS));
    this.#signal?.throwIfAborted();
  }

  /**
   * A call to Pagefind's process, given up when the signal ends the
   * indexing: a process that was stopped with the session (Ctrl-C reaches
   * it too) never answers, and waiting for it would keep the session from
   * cleaning up.
   */
  #unlessAborted<T>(call: Promise<T>): Promise<T> {
    const signal = this.#signal;
    if (!signal) return call;
    // A call given up still settles later, rejected when its process is closed: by then nobody waits for it.
    call.catch(() => undefined);
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolve, reject) => {
      const abort = (): void => reject(signal.reason);
      signal.addEventListener('abort', abort, { once: true });
      call.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
    });
  }

  /** Indexes one shard through service number `service`; a failure is kept for `finish` and stops the shards still waiting. */
  async #index({ shard, pages }: ShardPages, service: number): Promise<void> {
    if (this.#failure) return;
    const target = this.#bundleDir(shard);
    try {
      const pagefind = (await this.#services)[service];
      if (!pagefind) throw new Error(`Internal error: no Pagefind service number ${service}`);
      // The first call of a service starts its process.
      const created = this.#background ? startingAtLowPriority(() => pagefind.createIndex({})) : pagefind.createIndex({});
      const { index, errors } = await this.#unlessAborted(created);
      if (!index) throw new Error(errors.join('; '));
      // Pages go to Pagefind's process in batches: one at a time would wait a round trip per page.
      for (let start = 0; start < pages.length; start += BATCH) {
        await this.#heldBack();
        const added = await this.#unlessAborted(Promise.all(pages.slice(start, start + BATCH).map((page) => index.addHTMLFile({ url: urlOf(page), content: this.#read(page) }))));
        const failures = added.flatMap((result) => result.errors);
        if (failures.length > 0) throw new Error(failures.join('; '));
      }
      await this.#heldBack();
      await mkdir(path.dirname(target), { recursive: true });
      const written = await this.#unlessAborted(index.writeFiles({ outputPath: target }));
      if (written.errors.length > 0) throw new Error(written.errors.join('; '));
      await this.#unlessAborted(index.deleteIndex());
      this.#built.push(shard);
    } catch (error) {
      await rm(target, { recursive: true, force: true });
      this.#failure ??= new BroadsheetError('BS401', `cannot build the search index of ${shard.id}: ${(error as Error).message}`, { file: target, cause: error });
      this.#waiting.length = 0;
    }
  }
}

/**
 * Rebuilds the dirty bundles inside a live site, each written beside the
 * old one and swapped in, so a browser never loads half an index (watch
 * mode), and removes the bundles of folders that have no articles left.
 * At most `concurrency` shards are indexed at once (default: one per core);
 * while `hold` says so, no shard starts (those not started are left for
 * later) and one under way pauses. Returns the shards re-indexed.
 */
export async function indexInPlace(
  siteDir: string,
  dirty: readonly ShardPages[],
  all: readonly SearchShard[],
  editions: readonly string[],
  options: IndexingOptions = {},
): Promise<SearchShard[]> {
  const site = path.resolve(siteDir);
  const suffix = `.next-${process.pid}`;
  const next = (shard: SearchShard): string => `${bundlePath(site, shard)}${suffix}`;
  const built = await buildBundles(dirty, (page) => readFileSync(path.join(site, page), 'utf8'), next, options).catch(async (error: unknown) => {
    // The bundles finished before the failure are not swapped in: nothing is left in the site.
    await Promise.all(dirty.map(({ shard }) => rm(next(shard), { recursive: true, force: true })));
    throw error;
  });
  for (const shard of built) {
    const bundle = bundlePath(site, shard);
    const old = `${bundle}.old-${process.pid}`;
    // A shard new to the site has no bundle yet to move aside.
    await unlessMissing(rename(bundle, old));
    await rename(`${bundle}${suffix}`, bundle);
    await rm(old, { recursive: true, force: true });
  }
  for (const stale of await staleBundles(site, all, editions)) await rm(path.join(site, stale), { recursive: true, force: true });
  return built;
}

/** Bundles in `siteDir` of folders that have no articles any more, relative to it. */
export async function staleBundles(siteDir: string, all: readonly SearchShard[], editions: readonly string[]): Promise<string[]> {
  const live = new Set(all.map((shard) => shard.bundleUrl));
  const stale: string[] = [];
  for (const edition of editions) {
    const folder = path.join(siteDir, edition, 'pagefind');
    for (const name of await unlessMissing(readdir(folder), [] as string[])) {
      if (!live.has(`/${edition}/pagefind/${name}/`) && existsSync(path.join(folder, name))) stale.push(`${edition}/pagefind/${name}`);
    }
  }
  return stale;
}

/** Where a shard's bundle lives under `root`. */
export function bundlePath(root: string, shard: SearchShard): string {
  return path.join(root, ...shard.bundleUrl.split('/').filter(Boolean));
}

/** `zh-hans/2019/report/index.html` → `/zh-hans/2019/report/`. */
function urlOf(page: string): string {
  return `/${page.replace(/index\.html$/, '')}`;
}
