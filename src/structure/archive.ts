import path from 'node:path/posix';
import type { Config, Language } from '../config/load-config.js';
import { BroadsheetError, BroadsheetErrors } from '../diagnostics/error.js';
import type { RenderedArticle } from '../types.js';
import { measureReading, type ReadingMeasure } from './reading.js';

/** One edition of an article placed in the archive. */
export interface ArchiveEntry {
  readonly article: RenderedArticle;
  readonly language: Language;
  /** Site-relative URL with a trailing slash: `/zh-hans/2019/report/`. */
  readonly url: string;
  readonly reading: ReadingMeasure;
  /** Generated from another edition (Traditional from Simplified), not written by hand. */
  readonly derived: boolean;
}

/** All editions of one article: the source and its translations, keyed by language code. */
export interface ArticleGroup {
  readonly key: string;
  readonly source: ArchiveEntry;
  readonly editions: ReadonlyMap<string, ArchiveEntry>;
}

/** Every article of the site, grouped by edition and by translation key. */
export interface Archive {
  /** Per language code, newest first. */
  readonly editions: ReadonlyMap<string, readonly ArchiveEntry[]>;
  readonly groups: ReadonlyMap<string, ArticleGroup>;
}

/**
 * Places articles at their URLs, groups each source with its translations
 * and derived editions, and orders each edition newest first (undated last,
 * ties by content path so output is deterministic).
 *
 * @throws {BroadsheetErrors} BS207 when two files would write one page, BS210 for a translation without a source.
 */
export function toArchive(articles: readonly RenderedArticle[], config: Config): Archive {
  const byKey = new Map<string, RenderedArticle[]>();
  for (const article of articles) byKey.set(article.key, [...(byKey.get(article.key) ?? []), article]);
  const errors: BroadsheetError[] = [];
  const groups = new Map<string, ArticleGroup>();
  const byUrl = new Map<string, ArchiveEntry>();
  for (const [key, members] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const group = toGroup(key, members, config, errors);
    if (!group) continue;
    for (const entry of group.editions.values()) {
      const clash = byUrl.get(entry.url);
      if (clash) errors.push(duplicateError(entry, clash));
      else byUrl.set(entry.url, entry);
    }
    groups.set(key, group);
  }
  if (errors.length > 0) throw new BroadsheetErrors(errors);
  const editions = new Map<string, ArchiveEntry[]>(config.languages.map((language) => [language.code, []]));
  for (const group of groups.values()) for (const entry of group.editions.values()) editions.get(entry.language.code)?.push(entry);
  for (const entries of editions.values()) entries.sort(newestFirst);
  return { editions, groups };
}

function toGroup(key: string, members: readonly RenderedArticle[], config: Config, errors: BroadsheetError[]): ArticleGroup | undefined {
  const sourceArticle = members.find((article) => article.lang === config.sourceLanguage.code);
  if (!sourceArticle) {
    for (const orphan of members) {
      errors.push(
        new BroadsheetError('BS210', `${orphan.file} is a translation, but there is no ${config.sourceLanguage.code} source ${key}.md`, {
          file: orphan.file,
        }),
      );
    }
    return undefined;
  }
  const sourceSlug = sourceArticle.meta.slug ?? path.basename(key);
  const editions = new Map<string, ArchiveEntry>();
  for (const language of config.languages) {
    const article = members.find((member) => member.lang === language.code);
    if (!article) continue;
    editions.set(language.code, {
      article,
      language,
      url: articleUrl(key, article.meta.slug ?? sourceSlug, language),
      reading: measureReading(article, config.readingSpeed),
      derived: language.derive !== null,
    });
  }
  const source = editions.get(config.sourceLanguage.code);
  if (!source) throw new Error('Internal error: the source edition was just added');
  return { key, source, editions };
}

/** `/<edition>/<folder>/<slug>/`: the content folder layout is kept; a translation may set its own slug. */
export function articleUrl(key: string, slug: string, language: Language): string {
  const folder = path.dirname(key);
  return `/${[language.path, folder === '.' ? '' : folder, slug].filter(Boolean).join('/')}/`;
}

function duplicateError(entry: ArchiveEntry, clash: ArchiveEntry): BroadsheetError {
  return new BroadsheetError('BS207', `${entry.article.file} and ${clash.article.file} both write ${entry.url}`, {
    file: entry.article.file,
  });
}

function newestFirst(a: ArchiveEntry, b: ArchiveEntry): number {
  const dateA = a.article.meta.date?.sortKey ?? '';
  const dateB = b.article.meta.date?.sortKey ?? '';
  if (dateA !== dateB) return dateA < dateB ? 1 : -1;
  return a.article.key < b.article.key ? -1 : a.article.key > b.article.key ? 1 : 0;
}

/**
 * The edition shown beside `edition` in the parallel view: a hand-written
 * translation is paired with the source; the source and editions derived
 * from it are paired with the first hand-written translation.
 */
export function parallelPartner(group: ArticleGroup, edition: ArchiveEntry): ArchiveEntry | undefined {
  const isTranslation = !edition.derived && edition !== group.source;
  if (isTranslation) return group.source;
  return [...group.editions.values()].find((other) => other !== group.source && !other.derived);
}
