import type { Config, Language } from '../config/load-config.js';
import type { Archive } from '../structure/archive.js';

/** A shard to index and the output paths of its article pages. */
export interface ShardPages {
  readonly shard: SearchShard;
  readonly pages: readonly string[];
}

/**
 * One Pagefind bundle: the article pages of one edition under one top-level
 * content folder (`content/2019/…` → the zh-hans/2019 shard). Indexing per
 * shard bounds Pagefind's memory by the largest folder rather than the whole
 * archive, and an edit re-indexes only the shards of the pages it changed.
 * The search page of an edition loads its first shard and merges the others.
 */
export interface SearchShard {
  /** `zh-hans/2019`: the edition's path and the folder. */
  readonly id: string;
  readonly language: Language;
  /** Where the bundle is published: `/zh-hans/pagefind/2019/`. */
  readonly bundleUrl: string;
}

// Articles at the top of the content folder share a shard of this name.
const ROOT_SHARD = '_';

/** The shard an article page belongs to, from its URL (`/zh-hans/2019/report/` → `zh-hans/2019`). */
export function shardOfArticleUrl(url: string): string {
  const parts = url.split('/').filter(Boolean);
  const [edition, folder] = parts;
  return `${edition ?? ''}/${parts.length > 2 && folder ? folder : ROOT_SHARD}`;
}

/** Every shard of the archive, per edition in the order of the configuration, folders sorted. */
export function planSearchShards(archive: Archive, config: Config): SearchShard[] {
  return config.languages.flatMap((language) => {
    const ids = new Set((archive.editions.get(language.code) ?? []).map((entry) => shardOfArticleUrl(entry.url)));
    return [...ids].sort().map((id) => ({ id, language, bundleUrl: bundleUrlOf(id) }));
  });
}

/**
 * The shards of `archive` that `wanted` accepts, each with the output paths
 * of its article pages in the order of the archive's editions. Pagefind
 * numbers pages as they come, so every build hands them over in this order
 * and a shard's bundle is the same whichever build made it.
 */
export function shardPages(shards: readonly SearchShard[], archive: Archive, wanted: (id: string) => boolean = () => true): ShardPages[] {
  const pages = new Map<string, string[]>();
  for (const entries of archive.editions.values()) {
    for (const entry of entries) {
      const id = shardOfArticleUrl(entry.url);
      if (!wanted(id)) continue;
      const list = pages.get(id) ?? [];
      list.push(`${entry.url.slice(1)}index.html`);
      pages.set(id, list);
    }
  }
  return shards.filter((shard) => wanted(shard.id)).map((shard) => ({ shard, pages: pages.get(shard.id) ?? [] }));
}

/** `zh-hans/2019` → `/zh-hans/pagefind/2019/`. */
export function bundleUrlOf(id: string): string {
  const [edition, folder] = id.split('/');
  return `/${edition}/pagefind/${folder}/`;
}
