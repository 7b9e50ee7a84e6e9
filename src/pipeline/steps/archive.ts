import path from 'node:path';
import { toBroadsheetErrors, type BroadsheetError } from '../../diagnostics/error.js';
import type { RenderedArticle } from '../../model/article.js';
import type { Archive, ArticleGroup } from '../../model/archive.js';
import { checkAlignment } from '../../structure/alignment.js';
import { articleWarnings } from '../../structure/warnings.js';
import type { Config } from '../../model/config.js';
import { toArchive, updateArchive } from '../../structure/archive.js';
import { changedStamps, isInside } from '../manifest.js';
import type { OutputState, PreviousRun, SourcesState } from '../state.js';
import { groupFace } from './record.js';
import { allArticles, sourceDigests } from './sources.js';
import { onlyTextChanged } from './plan.js';

/**
 * The archive of the sources: the written one updated with the groups whose
 * files changed since, or made anew from every article after a full look
 * (or when there is no written archive to update).
 */
export function assembleArchive(sources: SourcesState, output: OutputState | null, config: Config): { archive: Archive } | { errors: readonly BroadsheetError[] } {
  try {
    const base = output?.archive;
    if (!base || sources.changed === 'all') return { archive: toArchive(allArticles(sources), config) };
    return { archive: updateArchive(base, membersOf(sources, sources.changed, config), config) };
  } catch (error) {
    return { errors: toBroadsheetErrors(error) };
  }
}

/**
 * The translation keys of the groups to render when only articles' text
 * changed since the output was written, or null when listings, sitemaps or
 * neighbours may show something else now (or nothing is known of it):
 * then every page is planned.
 *
 * In watch mode that is known from the written archive. For the first
 * build of a new process it is known from the previous run's record: only
 * content files changed, none was added or removed, and every group's
 * cards are as they were then.
 */
export function textOnlyChanges(
  sources: SourcesState,
  output: OutputState | null,
  archive: Archive,
  unchangedTemplates: boolean,
  since: { readonly previousRun: PreviousRun | null; readonly stamps: Readonly<Record<string, string>> | null; readonly contentDir: string },
): ReadonlySet<string> | null {
  if (!output) return null;
  if (since.previousRun && since.stamps) return sinceRecord(sources, archive, since.previousRun, since.stamps, since.contentDir);
  if (!output.archive || !output.listings || !output.siteFiles || sources.changed === 'all' || !unchangedTemplates) return null;
  return onlyTextChanged(output.archive, archive, sources.changed) ? sources.changed : null;
}

function sinceRecord(sources: SourcesState, archive: Archive, previous: PreviousRun, stamps: Readonly<Record<string, string>>, contentDir: string): ReadonlySet<string> | null {
  const root = sources.root;
  if (root === null) return null;
  // A template, catalogue, configuration or gazetteer edit changes pages no article names.
  if (changedStamps(previous.stamps, stamps).some((file) => !isInside(file, contentDir))) return null;
  const current = new Map(sourceDigests(sources));
  if (current.size !== previous.sources.size || archive.groups.size !== previous.faces.size) return null;
  for (const file of previous.sources.keys()) if (!current.has(file)) return null;
  for (const key of previous.faces.keys()) if (!archive.groups.has(key)) return null;
  const keys = new Set<string>();
  for (const [relativePath, record] of sources.files) {
    if (record.key != null && previous.sources.get(path.join(root, relativePath)) !== record.textDigest) keys.add(record.key);
  }
  // A group is keyed by its files' paths, and nothing outside the content folder changed: a group none of
  // whose files changed shows what it showed. Only the changed groups' cards are worked out again.
  for (const key of keys) if (previous.faces.get(key) !== groupFace(archive.groups.get(key) as ArticleGroup)) return null;
  return keys;
}

/**
 * The articles now under each changed translation key. A key's files are
 * named after it (`key.md`, `key.en.md`), so they are looked up by name
 * rather than by walking every source.
 */
function membersOf(sources: SourcesState, keys: ReadonlySet<string>, config: Config): Map<string, RenderedArticle[]> {
  const members = new Map<string, RenderedArticle[]>();
  for (const key of keys) {
    const names = [`${key}.md`, ...config.languages.map((language) => `${key}.${language.code}.md`)];
    members.set(key, names.flatMap((name) => (sources.files.get(name)?.key === key ? (sources.files.get(name)?.articles ?? []) : [])));
  }
  return members;
}

/** The warnings of the archive's hand-written files: translations whose structure differs from their source, large files, dates to come. */
export function archiveWarnings(archive: Archive, config: Config): BroadsheetError[] {
  return [...archive.groups.values()].flatMap((group) => warningsOf(group, config));
}

function warningsOf(group: ArticleGroup, config: Config): BroadsheetError[] {
  let warnings = groupWarnings.get(group);
  if (!warnings) {
    const written = [...group.editions.values()].filter((edition) => !edition.derived);
    warnings = [
      ...written.flatMap((edition) => articleWarnings(edition.article, config.limits, Date.now())),
      ...written.filter((edition) => edition !== group.source).flatMap((edition) => checkAlignment(group.source.article, edition.article)),
    ];
    groupWarnings.set(group, warnings);
  }
  return warnings;
}

// An unchanged group keeps its object across rebuilds, and its warnings with it.
const groupWarnings = new WeakMap<ArticleGroup, BroadsheetError[]>();
