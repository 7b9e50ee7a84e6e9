import { formatKilobytes } from '../diagnostics/format.js';
import { unlessMissing } from '../text/absent.js';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { decodeContent } from '../text/decode.js';
import path from 'node:path';
import { findLanguage, type Config } from '../model/config.js';
import { BroadsheetError } from '../diagnostics/error.js';
import type { SourceFile } from '../model/article.js';

// `name.en.md`: a language tag before the extension.
const LANGUAGE_SUFFIX = /^(.+)\.([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*)\.md$/;

/** The content files found, and the problems with those that could not be read. */
export interface ScanResult {
  readonly files: SourceFile[];
  readonly errors: BroadsheetError[];
}

/**
 * Lists and reads every Markdown file under `contentDir`, in a stable order.
 * Dot files and folders are skipped (editor and VCS artefacts), and so are
 * symbolic links (see {@link SkippedEntry}).
 *
 * @throws {BroadsheetError} BS502 when the folder does not exist.
 */
export async function scanContent(contentDir: string, config: Config, displayBase = process.cwd()): Promise<ScanResult> {
  const { root, relativePaths } = await listContent(contentDir);
  const files: SourceFile[] = [];
  const errors: BroadsheetError[] = [];
  for (const relativePath of relativePaths) {
    try {
      files.push(readSource(root, relativePath, config, displayBase));
    } catch (error) {
      if (error instanceof BroadsheetError) errors.push(error);
      else throw error;
    }
  }
  return { files, errors };
}

/**
 * A content file that is not read, and why: a symbolic link (broadsheet
 * publishes only what is inside the content folder, and does not follow
 * links, so nothing outside it can be published and no link can loop), or
 * a Markdown file whose name leaves nothing for its URL (`..md`).
 */
export interface SkippedEntry {
  /** Relative to the content folder, with `/` separators. */
  readonly relativePath: string;
  readonly reason: 'link' | 'nameless';
}

/** The content folder's real path, the Markdown files under it (relative, sorted) and the entries skipped. */
export interface ContentListing {
  readonly root: string;
  readonly relativePaths: string[];
  readonly skipped: SkippedEntry[];
}

/** Lists the content folder: see {@link ContentListing}. */
export async function listContent(contentDir: string): Promise<ContentListing> {
  const root = await resolveFolder(contentDir);
  const skipped: SkippedEntry[] = [];
  const relativePaths = (await listMarkdown(root, root, skipped)).sort();
  return { root, relativePaths, skipped: skipped.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1)) };
}

/**
 * What exists now at the given content-relative paths, after a watcher
 * reported them: the Markdown files at or below each (a path may be a file,
 * a folder, or gone), and the entries skipped there. Paths inside dot
 * folders, or reached through a symbolic link, are left out as in a full scan.
 */
export async function listChanged(root: string, relativePaths: Iterable<string>, recursive = true): Promise<{ found: Set<string>; skipped: SkippedEntry[] }> {
  const found = new Set<string>();
  const skipped: SkippedEntry[] = [];
  for (const relativePath of relativePaths) {
    if (relativePath.startsWith('..') || relativePath.split('/').some((part) => part.startsWith('.') && !isNameless(part))) continue;
    const absolute = path.join(root, relativePath);
    // A folder on the way that is itself a link would lead outside: only the real path counts.
    if (!(await isRealFolder(root, path.dirname(absolute)))) continue;
    const info = await unlessMissing(lstat(absolute));
    if (info?.isSymbolicLink()) skipped.push({ relativePath, reason: 'link' });
    else if (info?.isDirectory()) for (const file of await listMarkdown(root, absolute, skipped, recursive)) found.add(file);
    else if (info?.isFile() && relativePath.endsWith('.md')) {
      if (isNameless(path.posix.basename(relativePath))) skipped.push({ relativePath, reason: 'nameless' });
      else found.add(relativePath);
    }
  }
  return { found, skipped };
}

/**
 * Reads one content file and identifies it.
 *
 * @throws {BroadsheetError} BS101 when it cannot be read, BS102–BS104 when it is not UTF-8 text, BS206 for a language it may not have.
 */
export function readSource(root: string, relativePath: string, config: Config, displayBase = process.cwd()): SourceFile {
  const absolute = path.join(root, relativePath);
  const display = displayPath(absolute, displayBase);
  const bytes = readContentBytes(absolute, display, config.limits.maxBytes);
  return { path: display, relativePath, text: decodeContent(bytes, display), bytes: bytes.length, ...identify(relativePath, config, display) };
}

/** What {@link readSource} says of a file apart from its text, without reading it. */
export function nameSource(root: string, relativePath: string, config: Config, displayBase = process.cwd()): Omit<SourceFile, 'text' | 'bytes'> {
  const display = displayPath(path.join(root, relativePath), displayBase);
  return { path: display, relativePath, ...identify(relativePath, config, display) };
}

/**
 * The translation key and language of a content file from its name:
 * `2019/report.md` is the source language, `2019/report.en.md` English.
 *
 * @throws {BroadsheetError} BS206 for a language suffix that is not configured.
 */
export function identify(relativePath: string, config: Config, display: string): { key: string; lang: string } {
  const match = LANGUAGE_SUFFIX.exec(relativePath);
  if (match?.[1] && match[2]) {
    const language = findLanguage(config, match[2]);
    if (!language) {
      throw new BroadsheetError('BS206', `the file name says language "${match[2]}", which is not configured`, {
        file: display,
      });
    }
    if (language.derive) {
      throw new BroadsheetError('BS206', `${language.code} is generated from ${language.derive.from}; it has no content files of its own`, {
        file: display,
        hint: `Edit the ${language.derive.from} source instead, or fix a conversion with "overrides" in broadsheet.yaml.`,
      });
    }
    return { key: match[1], lang: language.code };
  }
  return { key: relativePath.replace(/\.md$/, ''), lang: config.sourceLanguage.code };
}

/**
 * The real path of a folder the user named (`--content`, `--templates`).
 *
 * @throws {BroadsheetError} BS502 when it does not exist or is not a folder.
 */
export async function resolveFolder(folder: string, role: 'content' | 'templates' = 'content'): Promise<string> {
  let real: string;
  try {
    real = await realpath(folder);
  } catch (error) {
    throw new BroadsheetError('BS502', `the ${role} folder ${folder} does not exist`, { file: folder, cause: error });
  }
  if (!(await stat(real)).isDirectory()) {
    throw new BroadsheetError('BS502', `the ${role} folder ${folder} is not a folder`, { file: folder, hint: `Point --${role} at a folder, not a file.` });
  }
  return real;
}

async function listMarkdown(root: string, folder: string, skipped: SkippedEntry[], recursive = true): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    const absolute = path.join(folder, entry.name);
    const relativePath = path.relative(root, absolute).split(path.sep).join('/');
    if (isNameless(entry.name) && !entry.isDirectory()) skipped.push({ relativePath, reason: 'nameless' });
    // Dot files and folders are hidden: editors' and version control's own (.git, .#report.md).
    if (entry.name.startsWith('.')) continue;
    if (entry.isSymbolicLink()) {
      if (entry.name.endsWith('.md') || (await isFolder(absolute))) skipped.push({ relativePath, reason: 'link' });
    } else if (entry.isDirectory()) {
      if (recursive) found.push(...(await listMarkdown(root, absolute, skipped)));
    } else if (entry.isFile() && entry.name.endsWith('.md')) found.push(relativePath);
  }
  return found;
}

/** `..md`, `.md`: a Markdown file whose name is nothing but dots, which no URL can be made of. */
function isNameless(name: string): boolean {
  return /^\.*\.md$/.test(name);
}

/** True when the link leads to a folder (a link to nothing, or in a loop, is not one). */
async function isFolder(link: string): Promise<boolean> {
  return (await unlessMissing(stat(link)))?.isDirectory() ?? false;
}

/** True when `folder` is inside `root` by its real path, not through a link. */
async function isRealFolder(root: string, folder: string): Promise<boolean> {
  const real = await unlessMissing(realpath(folder));
  return real !== null && real === folder && (real === root || real.startsWith(root + path.sep));
}

/**
 * A content file's bytes, read synchronously (content files are small, and
 * one system call beats four trips through libuv's thread pool), never
 * through a link (see SkippedEntry), even one made since the folder was
 * listed, and never when the file is larger than `maxBytes`: its size is
 * looked at before anything is read.
 *
 * @throws {BroadsheetError} BS101 when it cannot be read, BS216 when it is too large.
 */
function readContentBytes(file: string, display: string, maxBytes: number): Buffer {
  let descriptor: number;
  try {
    descriptor = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    throw new BroadsheetError('BS101', `cannot read ${display}`, { file: display, cause: error });
  }
  try {
    const size = fstatSync(descriptor).size;
    if (size > maxBytes) {
      throw new BroadsheetError('BS216', `${display} is ${formatKilobytes(size)}, more than the ${formatKilobytes(maxBytes)} a content file may have`, {
        file: display,
        hint: 'Split the text into several articles, or raise limits.maxKilobytes in broadsheet.yaml if the file really is one article.',
      });
    }
    return readFileSync(descriptor);
  } catch (error) {
    if (error instanceof BroadsheetError) throw error;
    throw new BroadsheetError('BS101', `cannot read ${display}`, { file: display, cause: error });
  } finally {
    closeSync(descriptor);
  }
}

/** A path as the user would type it: relative to `base` (the working folder) when inside it. */
export function displayPath(absolute: string, base = process.cwd()): string {
  const relative = path.relative(base, absolute);
  return relative.startsWith('..') ? absolute : relative;
}
