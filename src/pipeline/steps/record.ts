import { toErrorRecord, type BroadsheetError } from '../../diagnostics/error.js';
import { digest } from '../../digest.js';
import type { BuildOptions } from '../../model/build.js';
import type { Archive, ArticleGroup } from '../../model/archive.js';
import type { Config } from '../../model/config.js';
import type { OutputFile } from '../../model/page.js';
import { outputPath } from '../../render/pages.js';
import { cardOf } from '../../structure/card.js';
import { OWNERSHIP_MARKER, ownershipMarker, readOwnershipMarker } from '../../write/ownership.js';
import { writePageList, writeSummary } from '../manifest.js';
import type { OutputRecord, OutputState, SourcesState } from '../state.js';
import { sourceDigests } from './sources.js';

/**
 * The output folder's ownership marker (see write/ownership.ts) after this
 * build: the pages the output will have, the assets, and the search
 * bundles' folders. `changed` is false when it is the marker already there.
 */
export function nextMarker(
  output: OutputState | null,
  outDir: string,
  gone: readonly string[],
  updates: ReadonlyMap<string, OutputRecord>,
  assets: ReadonlyMap<string, string>,
  config: Config,
): { readonly file: OutputFile; readonly changed: boolean } {
  const bundles = config.search ? config.languages.map((language) => `${language.path}/pagefind/`) : [];
  const current = output ? (output.marker ?? readOwnershipMarker(outDir)) : null;
  // A rebuild in the same process that neither adds nor removes a file (a template edit rewrites every
  // article page) keeps the marker its last build made, rather than make it again from every path of the
  // site. A marker read from the folder is checked in full: it may have been edited since.
  if (output?.marker != null && sameFiles(output, gone, updates, assets) && sameFolders(output.marker, bundles)) {
    return { file: { path: OWNERSHIP_MARKER, contents: output.marker }, changed: false };
  }
  const goneUrls = new Set(gone);
  const kept = [...(output?.pages.keys() ?? [])].filter((url) => !goneUrls.has(url));
  const added = [...updates.keys()].filter((url) => !output?.pages.has(url));
  const file = ownershipMarker([...[...kept, ...added].map(outputPath), ...assets.keys()], bundles);
  return { file, changed: file.contents !== current };
}

/** True when the output will hold the pages and assets it holds now, no more and no fewer. */
function sameFiles(output: OutputState, gone: readonly string[], updates: ReadonlyMap<string, OutputRecord>, assets: ReadonlyMap<string, string>): boolean {
  if (gone.length > 0 || assets.size !== output.assets.size) return false;
  for (const file of assets.keys()) if (!output.assets.has(file)) return false;
  for (const url of updates.keys()) if (!output.pages.has(url)) return false;
  return true;
}

/** True when `marker` lists exactly `folders` as folders owned whole (its only lines that end in `/`). */
function sameFolders(marker: string, folders: readonly string[]): boolean {
  let listed = 0;
  for (let end = marker.indexOf('/\n'); end >= 0; end = marker.indexOf('/\n', end + 2)) listed++;
  return listed === folders.length && folders.every((folder) => marker.includes(`\n${folder}\n`));
}

/** What the record of a written build holds besides the output state. */
export interface RecordInputs {
  readonly stamps: Record<string, string>;
  readonly archive: Archive;
  readonly sources: SourcesState;
  readonly warnings: readonly BroadsheetError[];
  readonly articles: number;
  readonly searchShards: readonly string[];
  /** Some shards of the archive are not in `searchShards`: their bundles are behind the pages. */
  readonly searchBehind?: boolean;
  /** The faces the previous record gave the groups this build did not touch (a one-shot edit), or null. */
  readonly facesKept: { readonly faces: ReadonlyMap<string, string>; readonly touched: ReadonlySet<string> } | null;
}

/**
 * Leaves the record a later one-shot build starts from: the inputs'
 * stamps, every output's signature and hash, the faces of the groups. It
 * is written in two halves. This writes the page list, which may be done
 * while the output folder is still being completed (a one-shot edit spends
 * most of its time waiting for Pagefind); the returned function writes the
 * summary that makes it count, and is called once the folder is complete.
 */
export async function beginRecord(
  cacheDir: string,
  options: BuildOptions,
  pages: Iterable<readonly [string, OutputRecord]>,
  assets: ReadonlyMap<string, string>,
  record: RecordInputs,
): Promise<() => Promise<void>> {
  const outputs = Array.from(pages, ([url, page]) => (page.indexed === undefined ? ([url, page.signature, page.hash] as const) : ([url, page.signature, page.hash, page.indexed] as const)));
  const faces = [...record.archive.groups].map(([key, group]) => [key, keptFace(record.facesKept, key) ?? groupFace(group)] as const);
  const token = await writePageList(cacheDir, options, { outputs, assets: [...assets], sources: sourceDigests(record.sources), faces });
  const summary = {
    stamps: record.stamps,
    pages: outputs.length,
    articles: record.articles,
    warnings: record.warnings.map(toErrorRecord),
    searchShards: record.searchShards,
    ...(record.searchBehind ? { searchBehind: true } : {}),
  };
  return () => writeSummary(cacheDir, options, summary, token);
}

function keptFace(kept: RecordInputs['facesKept'], key: string): string | undefined {
  return kept && !kept.touched.has(key) ? kept.faces.get(key) : undefined;
}

/**
 * A digest of what other pages show of a group's editions: their languages
 * and cards (see structure/card.ts), kept in the output record for the next
 * run to compare with.
 */
export function groupFace(group: ArticleGroup): string {
  let face = groupFaces.get(group);
  if (face === undefined) {
    face = digest(...[...group.editions].map(([code, entry]) => `${code} ${cardOf(entry).face}`));
    groupFaces.set(group, face);
  }
  return face;
}

// A build compares every group's face with the record, then records them all: each is worked out once.
const groupFaces = new WeakMap<ArticleGroup, string>();
