import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import type { Archive } from '../model/archive.js';
import { indexedTextDigest } from './indexed-text.js';
import { bundlePath, buildBundles, indexInPlace, staleBundles, type IndexingOptions } from './pagefind.js';
import { ShardLayout, shardPages, type ShardPages } from './shards.js';

/** Pages read per turn of the event loop by {@link SearchState.checkIndexedText}: a rebuild asked for meanwhile waits for one slice at most. */
const CHECK_SLICE = 200;

/** The digests of the indexed text of article pages, by URL, as the record of the output keeps them. */
export interface IndexedDigests {
  get(url: string): string | undefined;
  set(url: string, digest: string): void;
}

/**
 * What the builder knows about the search index between builds: which
 * shards the output folder has bundles for, and which need indexing because
 * article pages in them changed since. Watch mode indexes later, in the
 * background; a one-shot build indexes before its output is swapped in.
 */
export class SearchState {
  #layout = ShardLayout.empty;
  #archive: Archive | null = null;
  /** Ids of the shards the output folder has bundles for (or will, once the dirty ones are indexed). */
  #indexed = new Set<string>();
  /** Dirty shard ids, each with the number of the change that dirtied it last (see {@link indexLive}). */
  readonly #dirty = new Map<string, number>();
  #changes = 0;
  /** Article pages rewritten since the digest of their indexed text was last worked out (see {@link checkIndexedText}). */
  readonly #unchecked = new Set<string>();

  /** Starts from the shards a previous run's record lists. */
  seed(ids: readonly string[]): void {
    this.#indexed = new Set(ids);
  }

  /** The shards of the last build that was written. */
  get layout(): ShardLayout {
    return this.#layout;
  }

  get indexedIds(): string[] {
    return [...this.#indexed];
  }

  get hasDirty(): boolean {
    return this.#dirty.size > 0;
  }

  /**
   * The shard ids a record of the output lists as having bundles: those
   * with an up-to-date one, so that the next run indexes the others as new;
   * and a dirty shard that is gone from the layout, so that the next run
   * removes its bundle.
   */
  get recordedIds(): string[] {
    const now = new Set(this.#layout.shards.map((shard) => shard.id));
    const gone = [...this.#dirty.keys()].filter((id) => !now.has(id));
    return [...[...this.#indexed].filter((id) => !this.#dirty.has(id)), ...gone];
  }

  /**
   * Notes which shards need indexing: all of them after a full write
   * (`touched` null), otherwise those holding an article page that changed or
   * went, and any shard that is new or gone.
   */
  markDirty(layout: ShardLayout, touched: readonly string[] | null): void {
    const now = new Set(layout.shards.map((shard) => shard.id));
    const change = ++this.#changes;
    for (const id of now) if (touched === null || !this.#indexed.has(id)) this.#dirty.set(id, change);
    for (const id of this.#indexed) if (!now.has(id)) this.#dirty.set(id, change);
    for (const url of touched ?? []) {
      const id = layout.shardOf(url);
      if (now.has(id) || this.#indexed.has(id)) this.#dirty.set(id, change);
    }
  }

  /** Notes article pages rewritten without the digest of their indexed text (watch mode's rebuilds). */
  markUnchecked(urls: readonly string[]): void {
    for (const url of urls) this.#unchecked.add(url);
  }

  /**
   * Works out the digest of the indexed text of the pages rewritten since it
   * was last known, from their files as `read` finds them (watch mode leaves
   * it out of its rebuilds, where after a template edit it would cost every
   * article page its share of the edit's time). A page whose digest is not the one
   * `digests` has marks its shard dirty, and `digests` learns the new one. It
   * reads a slice of pages at a time and stops between two when `stop` says
   * so (a rebuild is waiting); says whether it finished.
   */
  async checkIndexedText(read: (url: string) => Uint8Array | null, digests: IndexedDigests, stop?: () => boolean): Promise<boolean> {
    while (this.#unchecked.size > 0) {
      if (stop?.()) return false;
      const changed: string[] = [];
      let count = 0;
      for (const url of this.#unchecked) {
        if (++count > CHECK_SLICE) break;
        this.#unchecked.delete(url);
        const page = read(url);
        // A page gone since: its removal marked its shard.
        if (!page) continue;
        const digest = indexedTextDigest(page);
        if (digest === digests.get(url)) continue;
        digests.set(url, digest);
        changed.push(url);
      }
      if (changed.length > 0) this.markDirty(this.#layout, changed);
      // Between slices the event loop turns, so that a rebuild asked for meanwhile is heard.
      await turn();
    }
    return true;
  }

  /** Notes that the bundles of these shards were built already (by a `ShardFeeder`). */
  indexedEarly(ids: readonly string[]): void {
    for (const id of ids) this.#dirty.delete(id);
  }

  /** The shards and archive of a build that was written. */
  written(layout: ShardLayout, archive: Archive): void {
    this.#layout = layout;
    this.#archive = archive;
    this.#indexed = new Set(layout.shards.map((shard) => shard.id));
  }

  /**
   * Re-indexes the dirty shards of the live output folder, each bundle
   * swapped in whole (watch mode); those `hold` kept from starting stay dirty,
   * and so does a shard a rebuild dirtied again while it was being indexed
   * (the index may have read its pages before the rebuild wrote them).
   */
  async indexLive(siteDir: string, editions: readonly string[], options: IndexingOptions = {}): Promise<void> {
    if (!this.#archive) return;
    const started = new Map(this.#dirty);
    const built = await indexInPlace(siteDir, this.#dirtyPages(this.#layout, this.#archive), this.#layout.shards, editions, options);
    for (const shard of built) if (this.#dirty.get(shard.id) === started.get(shard.id)) this.#dirty.delete(shard.id);
  }

  /**
   * Builds the dirty shards' bundles of `archive` into `newDir`, reading each
   * page there when the build wrote it and from `siteDir` otherwise; names
   * the bundles written and those of the live site that should go.
   */
  async bundlesInto(newDir: string, siteDir: string, layout: ShardLayout, archive: Archive, editions: readonly string[]): Promise<{ writes: string[]; deletes: string[] }> {
    const dirty = this.#dirtyPages(layout, archive);
    const read = (page: string): string => readFileSync(existsSync(path.join(newDir, page)) ? path.join(newDir, page) : path.join(siteDir, page), 'utf8');
    await buildBundles(dirty, read, (shard) => bundlePath(newDir, shard));
    const deletes = newDir === siteDir ? [] : await staleBundles(siteDir, layout.shards, editions);
    this.#dirty.clear();
    return { writes: dirty.map(({ shard }) => path.relative(newDir, bundlePath(newDir, shard))), deletes };
  }

  /** The dirty shards of `archive` with the output paths of their article pages. */
  #dirtyPages(layout: ShardLayout, archive: Archive): ShardPages[] {
    return shardPages(layout, archive, (id) => this.#dirty.has(id));
  }
}
