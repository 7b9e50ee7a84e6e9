import { statSync } from 'node:fs';
import path from 'node:path';
import { BroadsheetError, toBroadsheetErrors } from '../../diagnostics/error.js';
import { displayPath, listChanged, listContent, type ContentListing, type SkippedEntry } from '../../load/scan.js';
import type { RenderedArticle } from '../../model/article.js';
import type { Config } from '../../model/config.js';
import { toArchive } from '../../structure/archive.js';
import type { SourceStructurer } from '../compile/sources.js';
import type { SourcesState } from '../state.js';
import type { StepTimer } from '../step-timer.js';

/**
 * Brings the content folder's files up to date. A full look (`changed`
 * null, or a folder never listed) lists the whole folder; after a
 * watcher's report only the named paths are looked at — each may be a
 * file, a folder that was added or removed, or gone. Returns the new state
 * of the sources; the previous one is not changed.
 */
export async function refreshSources(
  previous: SourcesState,
  contentDir: string,
  changed: readonly string[] | null,
  structurer: SourceStructurer,
  timer: StepTimer,
): Promise<{ readonly sources: SourcesState; readonly errors: readonly BroadsheetError[] }> {
  if (changed === null || previous.root === null) {
    let listing: ContentListing;
    try {
      listing = await listContent(contentDir);
    } catch (error) {
      return { sources: previous, errors: toBroadsheetErrors(error) };
    }
    timer.mark('list');
    const files = await structurer.structureAll(listing.root, listing.relativePaths);
    timer.mark('parse');
    return { sources: { root: listing.root, files, skipped: new Map(listing.skipped.map((entry) => [entry.relativePath, entry])), changed: 'all' }, errors: [] };
  }
  const root = previous.root;
  const files = new Map(previous.files);
  const keys = new Set(previous.changed === 'all' ? [] : previous.changed);
  const reported = changed.map((file) => path.relative(root, path.resolve(file)).split(path.sep).join('/'));
  // Look at the reported paths' folders too: a rename or delete of a sibling (a translation moved
  // with its source) is then noticed even if its own event was missed.
  // A plain edit of a known file needs no look around; an add, delete or rename does.
  const plainEdits = reported.map((file) => files.has(file) && isFile(path.join(root, file)));
  const folders = [...new Set(reported.filter((_, index) => !plainEdits[index]).map((file) => path.posix.dirname(file)))].filter((folder) => !folder.startsWith('..'));
  const siblings = (await listChanged(root, folders.map((folder) => (folder === '.' ? '' : folder)), false)).found;
  const known = [...files.keys()].filter((file) => folders.includes(path.posix.dirname(file)));
  const named = [...new Set([...reported, ...known.filter((file) => !siblings.has(file)), ...[...siblings].filter((file) => !files.has(file))])];
  // Plain edits were just seen to be files; only the other paths need looking at.
  const edited = reported.filter((_, index) => plainEdits[index]);
  const looked = await listChanged(root, named.filter((file) => !edited.includes(file)));
  const present = new Set([...edited, ...looked.found]);
  const forget = (knownPath: string): void => {
    const record = files.get(knownPath);
    files.delete(knownPath);
    if (record?.key != null) keys.add(record.key);
  };
  for (const relativePath of named) {
    if (present.has(relativePath)) continue;
    if (files.has(relativePath)) forget(relativePath);
    // A removed folder takes every file below it along.
    else for (const knownPath of [...files.keys()]) if (knownPath.startsWith(`${relativePath}/`) && !present.has(knownPath)) forget(knownPath);
  }
  timer.mark('list');
  for (const relativePath of [...present].sort()) {
    const before = files.get(relativePath);
    const record = await structurer.structureOne(root, relativePath);
    files.set(relativePath, record);
    for (const key of [before?.key, record.key]) if (key != null) keys.add(key);
  }
  timer.mark('parse');
  const skipped = replaceSkipped(previous.skipped, named, looked.skipped);
  // After a full look that was never written, every key is still to be looked at.
  return { sources: { root, files, skipped, changed: previous.changed === 'all' ? 'all' : keys }, errors: [] };
}

/** What was known to be skipped, with what was skipped at or below the looked-at paths now in place of what was there. */
function replaceSkipped(known: ReadonlyMap<string, SkippedEntry>, looked: readonly string[], found: readonly SkippedEntry[]): Map<string, SkippedEntry> {
  const skipped = new Map([...known].filter(([place]) => !looked.some((path) => place === path || place.startsWith(`${path}/`))));
  for (const entry of found) skipped.set(entry.relativePath, entry);
  return skipped;
}

/** Every article the content files make, in the order of the files. */
export function allArticles(sources: SourcesState): RenderedArticle[] {
  return [...sources.files.values()].flatMap((record) => record.articles);
}

/**
 * The problems that stop a build before the archive is made: the content
 * folder's, the templates', each file's, and those between files (two claiming one URL, a
 * translation without its source) among the readable files, so that one
 * run lists every problem in the archive. A file that failed says nothing
 * about its group, so its translations are left out of that look.
 */
export function sourceProblems(sources: SourcesState, config: Config, earlier: { listing: readonly BroadsheetError[]; templates: readonly BroadsheetError[] }): BroadsheetError[] {
  const errors = [...earlier.listing, ...skippedProblems(sources, 'error'), ...earlier.templates, ...[...sources.files.values()].flatMap((record) => record.errors)];
  if (errors.length === 0) return [];
  const failedKeys = new Set([...sources.files.values()].filter((record) => record.errors.length > 0).map((record) => record.key));
  const readable = allArticles(sources).filter((article) => !failedKeys.has(article.key));
  try {
    toArchive(readable, config);
    return errors;
  } catch (error) {
    return [...errors, ...toBroadsheetErrors(error)];
  }
}

/** The problems of the skipped entries: a link is a warning (the build goes on without it), a nameless file an error. */
export function skippedProblems(sources: SourcesState, kind: 'warning' | 'error'): BroadsheetError[] {
  const root = sources.root;
  if (root === null) return [];
  const wanted = kind === 'warning' ? 'link' : 'nameless';
  return [...sources.skipped.values()]
    .filter((entry) => entry.reason === wanted)
    .sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1))
    .map((entry) => skippedProblem(root, entry));
}

/** What is said of a content entry that is not read (see load/scan.ts). */
function skippedProblem(root: string, entry: SkippedEntry): BroadsheetError {
  const file = displayPath(path.join(root, entry.relativePath));
  if (entry.reason === 'nameless') {
    return new BroadsheetError('BS212', `${file} cannot give a web address: its name is nothing but dots`, { file });
  }
  return new BroadsheetError('BS214', `${file} is a symbolic link, which broadsheet does not follow: it is not published`, { file });
}

/** The text digest of every content file that has one, by absolute path, for the output record. */
export function sourceDigests(sources: SourcesState): [string, string][] {
  const root = sources.root;
  if (root === null) return [];
  return [...sources.files].flatMap(([relativePath, record]) => (record.textDigest ? [[path.join(root, relativePath), record.textDigest] as [string, string]] : []));
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}
