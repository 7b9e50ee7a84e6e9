import path from 'node:path/posix';
import type { Config, Language } from '../model/config.js';
import { BroadsheetError, BroadsheetErrors } from '../diagnostics/error.js';
import type { RenderedArticle } from '../model/article.js';
import { gazetteerIdOf, placesOfEdition } from './places.js';
import { emptyArchive, type Archive, type ArchiveEntry, type ArticleGroup, type PlaceRef, type ReadingMeasure } from '../model/archive.js';
import { measureReading } from './reading.js';
import { segmentProblem } from './slug.js';

/**
 * Places articles at their URLs, groups each source with its translations
 * and derived editions, and orders each edition newest first (undated last,
 * ties by content path so output is deterministic).
 *
 * @throws {BroadsheetErrors} BS207 when two files would write one page, BS210 for a translation without a source.
 */
export function toArchive(articles: readonly RenderedArticle[], config: Config): Archive {
  const byKey = new Map<string, RenderedArticle[]>();
  for (const article of articles) {
    const members = byKey.get(article.key);
    if (members) members.push(article);
    else byKey.set(article.key, [article]);
  }
  return updateArchive(emptyArchive, byKey, config);
}

/**
 * The archive after the articles of some translation keys changed: `changed`
 * maps each such key to its articles now (none when it was removed). Groups
 * of other keys are kept as they were, objects included, which is what lets
 * a rebuild skip their pages; the edition lists are updated in place of a
 * full sort. The previous archive is not changed, and is returned itself
 * when no key changed.
 *
 * @throws {BroadsheetErrors} BS207 when two files would write one page, BS210 for a translation without a source.
 */
export function updateArchive(
  previous: Archive,
  changed: ReadonlyMap<string, readonly RenderedArticle[]>,
  config: Config,
): Archive {
  // Nothing changed (a template edit): the same archive, which lets the pages planned from it be planned once.
  if (changed.size === 0) return previous;
  const groups = new Map(previous.groups);
  const urls = new Map(previous.urls);
  const removed = new Set<ArchiveEntry>();
  const added: ArchiveEntry[] = [];
  const errors: BroadsheetError[] = [];
  for (const key of changed.keys()) {
    const old = groups.get(key);
    if (!old) continue;
    groups.delete(key);
    for (const entry of old.editions.values()) {
      removed.add(entry);
      if (urls.get(entry.url) === entry) urls.delete(entry.url);
    }
  }
  const reportedClashes = new Set<string>();
  for (const [key, members] of [...changed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (members.length === 0) continue;
    const group = toGroup(key, members, config, errors);
    if (!group) continue;
    for (const entry of group.editions.values()) {
      const clash = urls.get(entry.url);
      if (clash) {
        // A source and its derived edition are one file: its clash is reported once, not per edition.
        const pair = `${entry.article.file}\n${clash.article.file}`;
        if (!reportedClashes.has(pair)) errors.push(duplicateError(entry, clash));
        reportedClashes.add(pair);
      } else urls.set(entry.url, entry);
      added.push(entry);
    }
    groups.set(key, group);
  }
  if (errors.length > 0) throw new BroadsheetErrors(errors);
  return { groups, urls, editions: updateEditions(previous.editions, removed, added, config) };
}

/** Each edition's list without the removed entries and with the added ones in their sorted place. */
function updateEditions(
  previous: ReadonlyMap<string, readonly ArchiveEntry[]>,
  removed: ReadonlySet<ArchiveEntry>,
  added: readonly ArchiveEntry[],
  config: Config,
): Map<string, ArchiveEntry[]> {
  const swapped = swapInCopy(previous, removed, added);
  if (swapped) return swapped;
  const editions = new Map<string, ArchiveEntry[]>();
  for (const language of config.languages) {
    const kept = (previous.get(language.code) ?? []).filter((entry) => !removed.has(entry));
    const fresh = added.filter((entry) => entry.language.code === language.code).sort(newestFirst);
    editions.set(language.code, fresh.length > kept.length / 8 ? [...kept, ...fresh].sort(newestFirst) : insertSorted(kept, fresh));
  }
  return editions;
}

/**
 * An edit that keeps an article's date and key keeps its place in every list:
 * swap the new entry in where the old one was, in a copy of the list,
 * instead of filtering and inserting. Null when that is not the case.
 */
function swapInCopy(
  previous: ReadonlyMap<string, readonly ArchiveEntry[]>,
  removed: ReadonlySet<ArchiveEntry>,
  added: readonly ArchiveEntry[],
): Map<string, ArchiveEntry[]> | null {
  if (removed.size !== added.length) return null;
  const editions = new Map([...previous].map(([code, list]) => [code, list as ArchiveEntry[]]));
  const copied = new Set<string>();
  for (const entry of added) {
    const old = [...removed].find((candidate) => candidate.article.key === entry.article.key && candidate.language === entry.language);
    if (!old || old.article.meta.date?.sortKey !== entry.article.meta.date?.sortKey) return null;
    const code = entry.language.code;
    const list = copied.has(code) ? editions.get(code) : [...(editions.get(code) ?? [])];
    const index = list?.indexOf(old) ?? -1;
    if (!list || index < 0) return null;
    list[index] = entry;
    editions.set(code, list);
    copied.add(code);
  }
  return editions;
}

// A few new entries go in by binary search; many at once are cheaper to sort.
function insertSorted(list: ArchiveEntry[], fresh: readonly ArchiveEntry[]): ArchiveEntry[] {
  for (const entry of fresh) {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (newestFirst(list[middle] as ArchiveEntry, entry) <= 0) low = middle + 1;
      else high = middle;
    }
    list.splice(low, 0, entry);
  }
  return list;
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
  const pathProblem = keyProblem(key, sourceArticle.meta.slug !== null);
  if (pathProblem) {
    errors.push(new BroadsheetError('BS212', `${sourceArticle.file} cannot give a web address: ${pathProblem}`, { file: sourceArticle.file }));
    return undefined;
  }
  const sourceSlug = sourceArticle.meta.slug ?? path.basename(key);
  const placeIds = groupPlaces(sourceArticle, members, config);
  const editions = new Map<string, ArchiveEntry>();
  for (const language of config.languages) {
    const article = members.find((member) => member.lang === language.code);
    if (!article) continue;
    const places = placesOfEdition(placeIds, article, config.gazetteer, config.sourceLanguage.code);
    editions.set(language.code, entryFor(article, language, articleUrl(key, article.meta.slug ?? sourceSlug, language), places, config));
  }
  const source = editions.get(config.sourceLanguage.code);
  if (!source) throw new Error('Internal error: the source edition was just added');
  return { key, source, editions };
}

// An unchanged article keeps its entry object across rebuilds, so that pages built from it can be
// recognised as unchanged by identity (see build/signature.ts).
const entries = new WeakMap<RenderedArticle, ArchiveEntry>();

function entryFor(article: RenderedArticle, language: Language, url: string, places: readonly PlaceRef[], config: Config): ArchiveEntry {
  const cached = entries.get(article);
  const reading = readingOf(article, config);
  const samePlaces = (old: readonly PlaceRef[]): boolean =>
    old.length === places.length && old.every((place, index) => place.id === places[index]?.id && place.name === places[index]?.name);
  const sameReading = (old: ReadingMeasure): boolean => old.count === reading.count && old.unit === reading.unit && old.minutes === reading.minutes;
  if (cached && cached.url === url && cached.language === language && sameReading(cached.reading) && samePlaces(cached.places)) return cached;
  const entry = { article, language, url, reading, derived: language.derive !== null, places };
  entries.set(article, entry);
  return entry;
}

/** Gazetteer places of a group: named in the source text, or in any edition's front matter. */
function groupPlaces(source: RenderedArticle, members: readonly RenderedArticle[], config: Config): Set<string> {
  const ids = new Set(source.summary.places);
  for (const member of members) {
    for (const name of member.meta.places) {
      const id = gazetteerIdOf(name, config.gazetteer);
      if (id) ids.add(id);
    }
  }
  return ids;
}

function readingOf(article: RenderedArticle, config: Config): ReadingMeasure {
  return measureReading(article.summary.length, article.lang, config.readingSpeed);
}

/**
 * What is wrong with a content file's folders and name as parts of its URL.
 * The name does not matter when the front matter gives a slug.
 */
function keyProblem(key: string, hasSlug: boolean): string | null {
  const parts = key.split('/');
  const checked = hasSlug ? parts.slice(0, -1) : parts;
  for (const part of checked) {
    const problem = segmentProblem(part);
    if (problem) return `"${part}": ${problem}`;
  }
  return null;
}

/** `/<edition>/<folder>/<slug>/`: the content folder layout is kept; a translation may set its own slug. */
export function articleUrl(key: string, slug: string, language: Language): string {
  const folder = path.dirname(key);
  return `/${[language.path, folder === '.' ? '' : folder, slug].filter(Boolean).join('/')}/`;
}

function duplicateError(entry: ArchiveEntry, clash: ArchiveEntry): BroadsheetError {
  const slug = entry.article.positions.slug;
  return new BroadsheetError('BS207', `${entry.article.file} and ${clash.article.file} both write ${entry.url}`, {
    file: entry.article.file,
    line: slug?.line ?? 1,
    column: slug?.column ?? 1,
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
