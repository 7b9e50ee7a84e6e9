import { randomUUID } from 'node:crypto';
import { lstatSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { readEntryFile, tagCacheFolder, writeEntryFile } from '../cache/store.js';
import { digest } from '../digest.js';
import type { ErrorRecord } from '../diagnostics/error.js';
import { VERSION } from '../version.js';
import { BUILT_IN_TEMPLATES } from '../load/template-layers.js';

/** The folders and files a build reads, as the command line named them. */
export interface BuildInputs {
  readonly contentDir: string;
  readonly templatesDir: string;
  readonly configFile: string;
  readonly outDir: string;
}

/**
 * What a one-shot build left in the output folder, kept in the cache folder
 * so that the next build in a new process renders only the pages whose
 * inputs changed, writes only the files whose bytes changed, and — when no
 * input file changed at all — does nothing.
 */
export interface OutputManifest {
  readonly version: string;
  /** The output folder's identity when the manifest was written; another folder in its place is not trusted. */
  readonly outputIdentity: string;
  /** Names the page list written with this summary: the two halves are written apart (see {@link writePageList}). */
  readonly pageList: string;
  /** `path → size:mtime:inode` of every file read, taken before the build read them. */
  readonly stamps: Readonly<Record<string, string>>;
  /** `[url, signature, content hash]` per page, and for an article page the digest of its indexed text. */
  readonly outputs: readonly (readonly [string, string, string, string?])[];
  /** `[path, content hash]` per asset copied from templates/assets. */
  readonly assets: readonly (readonly [string, string])[];
  /** `[absolute path, text digest]` per content file: with an unchanged stamp, the next build need not read it. */
  readonly sources: readonly (readonly [string, string])[];
  readonly pages: number;
  readonly articles: number;
  readonly warnings: readonly ErrorRecord[];
  /** Ids of the search shards the output folder has up-to-date bundles for. */
  readonly searchShards: readonly string[];
  /**
   * True when some shards have no up-to-date bundle (a watch session ended
   * before its background index caught up): the next build indexes them,
   * even when no input changed.
   */
  readonly searchBehind?: boolean;
  /**
   * `[translation key, digest]` per article group: the digest of what
   * listings, sitemaps and neighbours show of its editions. When no group's
   * digest changed, an edit changed only text (see pipeline/steps/archive.ts).
   */
  readonly faces: readonly (readonly [string, string])[];
}

/** The part of a manifest a build with nothing to do needs: kept in a file of its own so that it loads fast. */
export type ManifestSummary = Omit<OutputManifest, 'outputs' | 'assets' | 'sources' | 'faces'>;

/** The other part: what every output and content file was, and the faces of the groups. */
export type PageList = Pick<OutputManifest, 'outputs' | 'assets' | 'sources' | 'faces'>;

/** The summary of the output folder's manifest, or null when there is none, it is damaged, or the folder is not the one it describes. */
export function loadSummary(cacheDir: string, inputs: BuildInputs): ManifestSummary | null {
  const summary = readEntryFile<ManifestSummary>(manifestFile(cacheDir, inputs, 'summary'));
  if (!summary || summary.version !== VERSION || summary.outputIdentity !== outputIdentity(inputs.outDir)) return null;
  return summary;
}

/** The whole manifest of the output folder whose summary is `summary` (see {@link loadSummary}), or null. */
export function loadManifest(cacheDir: string, inputs: BuildInputs, summary: ManifestSummary): OutputManifest | null {
  const pages = readEntryFile<PageList & { readonly token: string }>(manifestFile(cacheDir, inputs, 'pages'));
  // The summary names the page list it was written with; a list from another build is not used.
  if (!pages || typeof summary.pageList !== 'string' || pages.token !== summary.pageList || pages.outputs.length !== summary.pages) return null;
  const list = <Item>(items: readonly Item[] | undefined): readonly Item[] => (Array.isArray(items) ? items : []);
  return { ...summary, outputs: pages.outputs, assets: pages.assets, sources: list(pages.sources), faces: list(pages.faces) };
}

/**
 * Writes the page list of the next manifest, and returns the token its
 * summary must name. It may be written while the output folder is still
 * being changed: until a summary naming it follows (see {@link
 * writeSummary}), no build uses it.
 */
export async function writePageList(cacheDir: string, inputs: BuildInputs, list: PageList): Promise<string> {
  const token = randomUUID();
  const { outputs, assets, sources, faces } = list;
  await writeEntry(manifestFile(cacheDir, inputs, 'pages'), { outputs, assets, sources, faces, token });
  return token;
}

/** Writes the summary that makes the page list named by `pageList` count: once the output folder is complete. */
export async function writeSummary(cacheDir: string, inputs: BuildInputs, summary: Omit<ManifestSummary, 'version' | 'outputIdentity' | 'pageList'>, pageList: string): Promise<void> {
  await writeEntry(manifestFile(cacheDir, inputs, 'summary'), { ...summary, version: VERSION, outputIdentity: outputIdentity(inputs.outDir), pageList });
}

/**
 * Forgets the manifest. Done before the output folder is changed: if the
 * build dies half-way, the next one starts from scratch rather than trust a
 * manifest that no longer describes the folder.
 */
export function removeManifest(cacheDir: string, inputs: BuildInputs): void {
  // Synchronous: two unlinks of files that are mostly gone already, not worth a wait for libuv's thread pool
  // (watch mode does this before every rebuild's first page).
  rmSync(manifestFile(cacheDir, inputs, 'summary'), { force: true });
  rmSync(manifestFile(cacheDir, inputs, 'pages'), { force: true });
}

async function writeEntry(file: string, value: unknown): Promise<void> {
  tagCacheFolder(path.dirname(path.dirname(file)));
  await mkdir(path.dirname(file), { recursive: true });
  await writeEntryFile(file, value);
}

/**
 * The stamp of every file a build reads: content files, templates, string
 * catalogues and assets, the configuration and the gazetteers it names.
 * Like make or git, a file with the same size, modification time and inode
 * is taken to be unchanged.
 */
export function stampInputs(inputs: BuildInputs, extraFiles: readonly string[] = []): Record<string, string> {
  const stamps: Record<string, string> = {};
  // A link in the content folder is not followed (load/scan.ts): its own stamp is what counts. Templates,
  // the configuration and gazetteers may be links to shared files, whose stamps are those of the targets.
  for (const file of listFiles(path.resolve(inputs.contentDir))) stamps[file] = stampOf(file, false);
  for (const folder of templateFolders(inputs)) for (const file of listFiles(folder)) stamps[file] = stampOf(file, true);
  for (const file of [inputs.configFile, ...extraFiles]) stamps[path.resolve(file)] = stampOf(path.resolve(file), true);
  return stamps;
}

/**
 * The stamps of the inputs `recorded` names now, and the files added,
 * removed or changed since it was taken: none when the last build is up to
 * date. The stamps serve the build that follows (see {@link restampUnlessSame}).
 */
export function changedInputs(recorded: Readonly<Record<string, string>>, inputs: BuildInputs): { readonly stamps: Readonly<Record<string, string>>; readonly changed: string[] } {
  const stamps = stampInputs(inputs, extraFilesOf(recorded, inputs));
  return { stamps, changed: changedStamps(recorded, stamps) };
}

/**
 * `taken` when it stamps exactly the inputs and `extraFiles` (taken before
 * the build read any of them, which is all a stamp needs); otherwise the
 * stamps of those files now: walking the content folder again is a
 * noticeable part of a one-shot edit of a large archive.
 */
export function restampUnlessSame(taken: Readonly<Record<string, string>> | null, inputs: BuildInputs, extraFiles: readonly string[]): Record<string, string> {
  const wanted = new Set(extraFiles.map((file) => path.resolve(file)));
  const extras = taken ? extraFilesOf(taken, inputs) : [];
  if (taken && extras.length === wanted.size && extras.every((file) => wanted.has(file))) return { ...taken };
  return stampInputs(inputs, extraFiles);
}

/** The files `stamps` names besides the content, the templates and the configuration: the gazetteers. */
function extraFilesOf(stamps: Readonly<Record<string, string>>, inputs: BuildInputs): string[] {
  const configFile = path.resolve(inputs.configFile);
  return Object.keys(stamps).filter(
    (file) => file !== configFile && !isInside(file, inputs.contentDir) && !isInside(file, inputs.templatesDir) && !isInside(file, BUILT_IN_TEMPLATES),
  );
}

/** Stamps taken again for some files since a full set was: a file's new stamp, or null for one no longer there. */
export type StampChanges = Map<string, string | null>;

/**
 * The stamps now of every file at or below `paths` (what a watch-mode
 * rebuild is about to read: content files, or folders that came or went),
 * and null for those of `stamps` no longer there. Taken before the files
 * are read, as every stamp must be: a file that changes after its stamp is
 * then seen as changed by the next run, never the other way round.
 */
export function stampContentChanges(stamps: Readonly<Record<string, string>>, paths: readonly string[]): StampChanges {
  const changes: StampChanges = new Map();
  for (const changed of paths) {
    const at = path.resolve(changed);
    const info = lstatSync(at, { throwIfNoEntry: false });
    if (info?.isFile() || info?.isSymbolicLink()) {
      changes.set(at, stampOf(at, false));
      continue;
    }
    // A folder that came or went, or a file that went: whatever was stamped below it is looked at again.
    const below = at + path.sep;
    for (const file of Object.keys(stamps)) if (file === at || file.startsWith(below)) changes.set(file, null);
    if (info?.isDirectory()) for (const file of listFiles(at)) changes.set(file, stampOf(file, false));
  }
  return changes;
}

/** The stamps now of the templates' files (the project's and the built-in ones), and null for those of `stamps` no longer there. */
export function stampTemplateChanges(stamps: Readonly<Record<string, string>>, inputs: BuildInputs): StampChanges {
  const folders = templateFolders(inputs);
  const changes: StampChanges = new Map();
  for (const file of Object.keys(stamps)) if (folders.some((folder) => isInside(file, folder))) changes.set(file, null);
  for (const folder of folders) for (const file of listFiles(folder)) changes.set(file, stampOf(file, true));
  return changes;
}

/** Applies `changes` to `stamps` in place, and returns it. */
export function applyStampChanges(stamps: Record<string, string>, changes: StampChanges): Record<string, string> {
  for (const [file, stamp] of changes) {
    if (stamp === null) delete stamps[file];
    else stamps[file] = stamp;
  }
  return stamps;
}

/** The files whose stamp differs between two sets of stamps, or that only one of them has. */
export function changedStamps(recorded: Readonly<Record<string, string>>, now: Readonly<Record<string, string>>): string[] {
  const changed = Object.keys(now).filter((file) => recorded[file] !== now[file]);
  return [...changed, ...Object.keys(recorded).filter((file) => now[file] === undefined)];
}

/** The project's templates folder and the built-in one, read for every file the project's templates do not override. */
function templateFolders(inputs: BuildInputs): string[] {
  return [...new Set([path.resolve(inputs.templatesDir), path.resolve(BUILT_IN_TEMPLATES)])];
}

function stampOf(file: string, followLinks: boolean): string {
  try {
    const info = (followLinks ? statSync : lstatSync)(file, { throwIfNoEntry: false });
    return info ? `${info.size}:${info.mtimeMs}:${info.ino}` : 'missing';
  } catch {
    // A link in a loop, a file without permission: unreadable now, and the build that reads it says why.
    return 'unreadable';
  }
}

function listFiles(folder: string): string[] {
  try {
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() || entry.isSymbolicLink())
      .map((entry) => path.join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

export function isInside(file: string, folder: string): boolean {
  return file.startsWith(path.resolve(folder) + path.sep);
}

function outputIdentity(outDir: string): string {
  const info = statSync(outDir, { throwIfNoEntry: false });
  return info ? `${info.ino}:${info.birthtimeMs}` : 'missing';
}

function manifestFile(cacheDir: string, inputs: BuildInputs, part: 'summary' | 'pages'): string {
  const key = digest(...[inputs.contentDir, inputs.templatesDir, inputs.configFile, inputs.outDir].map((item) => path.resolve(item)));
  return path.join(path.resolve(cacheDir), 'outputs', `${key}.${part}.json`);
}
