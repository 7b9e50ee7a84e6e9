import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BundleWriter, bundlePath } from './pagefind.js';
import { shardOfArticleUrl, type SearchShard } from './shards.js';

/**
 * Indexes the shards of a full build while it is still rendering: each
 * shard is handed to Pagefind as soon as the last of its article pages is
 * written into the staging folder. Rendering runs in one thread, so
 * Pagefind's process gets the other core instead of waiting for the end.
 */
export class ShardFeeder {
  readonly #writer: BundleWriter;
  readonly #shards: ReadonlyMap<string, SearchShard>;
  readonly #pages = new Map<string, string[]>();
  readonly #left = new Map<string, number>();
  readonly #handedOver: string[] = [];

  /**
   * `articleUrls`: the URLs of every article page the build will write into
   * `dir`, in the order of the archive's editions — the order in which an
   * incremental build hands them to Pagefind, which numbers pages as they come.
   */
  constructor(dir: string, shards: readonly SearchShard[], articleUrls: readonly string[]) {
    this.#writer = new BundleWriter(
      (page) => readFileSync(path.join(dir, page), 'utf8'),
      (shard) => bundlePath(dir, shard),
    );
    this.#shards = new Map(shards.map((shard) => [shard.id, shard]));
    for (const url of articleUrls) {
      const id = shardOfArticleUrl(url);
      if (!this.#shards.has(id)) continue;
      const pages = this.#pages.get(id) ?? [];
      pages.push(`${url.slice(1)}index.html`);
      this.#pages.set(id, pages);
      this.#left.set(id, (this.#left.get(id) ?? 0) + 1);
    }
  }

  /** True while Pagefind has work: the caller should let the event loop turn now and then. */
  get busy(): boolean {
    return this.#writer.busy;
  }

  /** Notes that an article page is written; its shard is indexed once all of its pages are. */
  written(url: string): void {
    const id = shardOfArticleUrl(url);
    const left = this.#left.get(id);
    if (left === undefined) return;
    if (left > 1) {
      this.#left.set(id, left - 1);
      return;
    }
    this.#left.delete(id);
    const shard = this.#shards.get(id);
    if (!shard) return;
    this.#writer.add({ shard, pages: this.#pages.get(id) ?? [] });
    this.#handedOver.push(id);
  }

  /**
   * Waits for the shards handed over and returns their ids; the others
   * (none, when every article page was written) are left to the caller.
   *
   * @throws {BroadsheetError} BS401 when Pagefind failed.
   */
  async finish(): Promise<string[]> {
    await this.#writer.finish();
    return [...this.#handedOver];
  }

  /** Stops indexing (a failed build). */
  async cancel(): Promise<void> {
    await this.#writer.cancel();
  }
}
