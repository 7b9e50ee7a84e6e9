import type { Config, Language } from '../model/config.js';
import type { Archive } from '../model/archive.js';

/** A shard to index and the output paths of its article pages. */
export interface ShardPages {
  readonly shard: SearchShard;
  readonly pages: readonly string[];
}

/**
 * One Pagefind bundle: the article pages of one edition under one top-level
 * content folder (`content/2019/…` → the zh-hans/2019 shard). A folder with
 * more pages than `searchBundlePages` is split into parts (zh-hans/2019.1,
 * zh-hans/2019.2, …), each article placed by a hash of its path, so that it
 * stays in its part while the folder keeps its number of parts.
 *
 * Indexing per shard bounds Pagefind's memory by the largest shard rather
 * than the whole archive, and an edit re-indexes only the shards of the
 * pages it changed. The search page of an edition loads its first shard
 * and merges the others.
 */
export interface SearchShard {
  /** `zh-hans/2019`, or `zh-hans/2019.2` for a part of a split folder. */
  readonly id: string;
  readonly language: Language;
  /** Where the bundle is published: `/zh-hans/pagefind/2019/`. */
  readonly bundleUrl: string;
}

// Articles at the top of the content folder share a shard of this name.
const ROOT_SHARD = '_';

/**
 * The shards of an archive and which of them each article page belongs to.
 * Folder names are slugs (letters, digits, - and _), so the `.` of a part
 * number cannot be mistaken for part of one.
 */
export class ShardLayout {
  readonly shards: readonly SearchShard[];
  /** Parts per split folder (`zh-hans/2019` → 3); a folder not listed has one. */
  readonly #parts: ReadonlyMap<string, number>;

  constructor(shards: readonly SearchShard[], parts: ReadonlyMap<string, number>) {
    this.shards = shards;
    this.#parts = parts;
  }

  /** No search: no shards. */
  static readonly empty = new ShardLayout([], new Map());

  /** The shard of an article page, from its URL (`/zh-hans/2019/report/` → `zh-hans/2019` or a part of it). */
  shardOf(url: string): string {
    const folder = folderOf(url);
    const parts = this.#parts.get(folder) ?? 1;
    return parts > 1 ? `${folder}.${partOf(url, parts)}` : folder;
  }
}

/**
 * Every shard of the archive, per edition in the order of the configuration,
 * folders sorted, parts in order. A part no article landed in has no shard.
 */
export function planSearchShards(archive: Archive, config: Config): ShardLayout {
  const parts = new Map<string, number>();
  const editions = config.languages.map((language) => ({ language, entries: archive.editions.get(language.code) ?? [] }));
  for (const { entries } of editions) {
    const pagesPerFolder = new Map<string, number>();
    for (const entry of entries) {
      const folder = folderOf(entry.url);
      pagesPerFolder.set(folder, (pagesPerFolder.get(folder) ?? 0) + 1);
    }
    for (const [folder, pages] of pagesPerFolder) if (pages > config.searchBundlePages) parts.set(folder, Math.ceil(pages / config.searchBundlePages));
  }
  const layout = new ShardLayout([], parts);
  const shards = editions.flatMap(({ language, entries }) => {
    const ids = [...new Set(entries.map((entry) => layout.shardOf(entry.url)))].sort(byFolderThenPart);
    return ids.map((id) => ({ id, language, bundleUrl: bundleUrlOf(id) }));
  });
  return new ShardLayout(shards, parts);
}

/** `zh-hans/2019.2` before `zh-hans/2019.10`: parts in number order. */
function byFolderThenPart(a: string, b: string): number {
  const [folderA = '', partA = '0'] = a.split('.');
  const [folderB = '', partB = '0'] = b.split('.');
  return folderA === folderB ? Number(partA) - Number(partB) : folderA < folderB ? -1 : 1;
}

/**
 * The shards of `layout` that `wanted` accepts, each with the output paths
 * of its article pages in the order of the archive's editions. Pagefind
 * numbers pages as they come, so every build hands them over in this order
 * and a shard's bundle is the same whichever build made it.
 */
export function shardPages(layout: ShardLayout, archive: Archive, wanted: (id: string) => boolean = () => true): ShardPages[] {
  const pages = new Map<string, string[]>();
  for (const entries of archive.editions.values()) {
    for (const entry of entries) {
      const id = layout.shardOf(entry.url);
      if (!wanted(id)) continue;
      const list = pages.get(id) ?? [];
      list.push(`${entry.url.slice(1)}index.html`);
      pages.set(id, list);
    }
  }
  return layout.shards.filter((shard) => wanted(shard.id)).map((shard) => ({ shard, pages: pages.get(shard.id) ?? [] }));
}

/** `zh-hans/2019` → `/zh-hans/pagefind/2019/`. */
export function bundleUrlOf(id: string): string {
  const [edition, folder] = id.split('/');
  return `/${edition}/pagefind/${folder}/`;
}

/** `/zh-hans/2019/report/` → `zh-hans/2019`; an article at the top of the content folder → `zh-hans/_`. */
function folderOf(url: string): string {
  // Found by slashes, not by splitting: this runs for every article page on every rebuild.
  const afterEdition = url.indexOf('/', 1);
  if (afterEdition < 0) return `${url.slice(1)}/${ROOT_SHARD}`;
  const afterFolder = url.indexOf('/', afterEdition + 1);
  const nested = afterFolder > 0 && afterFolder < url.length - 1;
  return nested ? url.slice(1, afterFolder) : `${url.slice(1, afterEdition)}/${ROOT_SHARD}`;
}

/**
 * Which of `parts` parts an article page goes to, 1-based. Hashed without
 * the edition, so an article and its translations share a part number.
 * FNV-1a rather than a cryptographic hash: this runs for every article page
 * on every watch-mode rebuild, and a SHA-1 object per page cost tens of
 * milliseconds there.
 */
function partOf(url: string, parts: number): number {
  let hash = 0x811c9dc5;
  for (let index = url.indexOf('/', 1); index < url.length; index++) {
    hash = Math.imul(hash ^ url.charCodeAt(index), 0x01000193) >>> 0;
  }
  return (hash % parts) + 1;
}
