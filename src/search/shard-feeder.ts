import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BundleWriter, bundlePath } from './pagefind.js';
import type { Archive } from '../model/archive.js';
import { shardPages, type ShardLayout, type ShardPages } from './shards.js';

/**
 * Indexes the shards of a full build while it is still rendering: each
 * shard is handed to Pagefind as soon as the last of its article pages is
 * written into the staging folder. Rendering runs in one thread, so
 * Pagefind's process gets the other core instead of waiting for the end.
 */
export class ShardFeeder {
  readonly #writer: BundleWriter;
  readonly #shards = new Map<string, ShardPages>();
  readonly #left = new Map<string, number>();
  readonly #handedOver: string[] = [];
  readonly #layout: ShardLayout;

  /** `archive`'s article pages are the ones the build will write into `dir`. */
  constructor(dir: string, layout: ShardLayout, archive: Archive) {
    this.#layout = layout;
    this.#writer = new BundleWriter(
      (page) => readFileSync(path.join(dir, page), 'utf8'),
      (shard) => bundlePath(dir, shard),
    );
    for (const item of shardPages(layout, archive)) {
      this.#shards.set(item.shard.id, item);
      this.#left.set(item.shard.id, item.pages.length);
    }
  }

  /** True while Pagefind has work: the caller should let the event loop turn now and then. */
  get busy(): boolean {
    return this.#writer.busy;
  }

  /** Notes that an article page is written; its shard is indexed once all of its pages are. */
  written(url: string): void {
    const id = this.#layout.shardOf(url);
    const left = this.#left.get(id);
    if (left === undefined) return;
    if (left > 1) {
      this.#left.set(id, left - 1);
      return;
    }
    this.#left.delete(id);
    const shard = this.#shards.get(id);
    if (!shard) return;
    this.#writer.add(shard);
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
