import path from 'node:path/posix';
import type { Config, Language } from '../config/load-config.js';
import { BroadsheetError, BroadsheetErrors } from '../diagnostics/error.js';
import type { RenderedArticle } from '../types.js';
import { measureReading, type ReadingMeasure } from './reading.js';

/** An article placed in the archive: its URL and reading measure. */
export interface ArchiveEntry {
  readonly article: RenderedArticle;
  readonly language: Language;
  /** Site-relative URL with a trailing slash: `/zh-hans/2019/report/`. */
  readonly url: string;
  readonly reading: ReadingMeasure;
}

/** Every article of the site, grouped by edition and sorted newest first. */
export interface Archive {
  readonly editions: ReadonlyMap<string, readonly ArchiveEntry[]>;
}

/**
 * Places articles at their URLs and orders each edition newest first
 * (undated articles last, ties by content path so output is deterministic).
 *
 * @throws {BroadsheetErrors} BS207 when two content files would write one page.
 */
export function toArchive(articles: readonly RenderedArticle[], config: Config): Archive {
  const byUrl = new Map<string, ArchiveEntry>();
  const errors: BroadsheetError[] = [];
  for (const article of articles) {
    const language = config.languages.find((candidate) => candidate.code === article.lang);
    if (!language) throw new Error(`Internal error: ${article.file} has unconfigured language ${article.lang}`);
    const entry = { article, language, url: articleUrl(article, language), reading: measureReading(article, config.readingSpeed) };
    const clash = byUrl.get(entry.url);
    if (clash) errors.push(duplicateError(entry, clash));
    else byUrl.set(entry.url, entry);
  }
  if (errors.length > 0) throw new BroadsheetErrors(errors);
  const editions = new Map<string, ArchiveEntry[]>(config.languages.map((language) => [language.code, []]));
  for (const entry of byUrl.values()) editions.get(entry.language.code)?.push(entry);
  for (const entries of editions.values()) entries.sort(newestFirst);
  return { editions };
}

/** `/<edition>/<folder>/<slug>/`: the content folder layout is kept, the slug may be set in front matter. */
export function articleUrl(article: RenderedArticle, language: Language): string {
  const folder = path.dirname(article.key);
  const slug = article.meta.slug ?? path.basename(article.key);
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
