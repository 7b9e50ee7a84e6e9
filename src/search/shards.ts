import type { Config, Language } from '../config/load-config.js';
import type { Archive } from '../structure/archive.js';

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

/** `zh-hans/2019` → `/zh-hans/pagefind/2019/`. */
export function bundleUrlOf(id: string): string {
  const [edition, folder] = id.split('/');
  return `/${edition}/pagefind/${folder}/`;
}
