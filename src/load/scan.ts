import { readFileSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { decodeContent } from '../import/decode.js';
import path from 'node:path';
import { findLanguage, type Config } from '../config/load-config.js';
import { BroadsheetError } from '../diagnostics/error.js';
import type { SourceFile } from '../types.js';

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
 * symbolic links that lead outside the content folder.
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

/** The content folder's real path and the Markdown files under it, relative, sorted. */
export async function listContent(contentDir: string): Promise<{ root: string; relativePaths: string[] }> {
  const root = await resolveFolder(contentDir);
  return { root, relativePaths: (await listMarkdown(root, root)).sort() };
}

/**
 * What exists now at the given content-relative paths, after a watcher
 * reported them: the Markdown files at or below each (a path may be a file,
 * a folder, or gone). Paths inside dot folders are skipped as in a full scan.
 */
export async function listChanged(root: string, relativePaths: Iterable<string>, recursive = true): Promise<Set<string>> {
  const found = new Set<string>();
  for (const relativePath of relativePaths) {
    if (relativePath.startsWith('..') || relativePath.split('/').some((part) => part.startsWith('.'))) continue;
    const absolute = path.join(root, relativePath);
    const info = await stat(absolute).catch(() => null);
    if (info?.isDirectory()) for (const file of await listMarkdown(root, absolute, recursive)) found.add(file);
    else if (info?.isFile() && relativePath.endsWith('.md') && (await followLink(root, absolute)) !== null) found.add(relativePath);
  }
  return found;
}

/**
 * Reads one content file and identifies it.
 *
 * @throws {BroadsheetError} BS101 when it cannot be read, BS102–BS104 when it is not UTF-8 text, BS206 for a language it may not have.
 */
export function readSource(root: string, relativePath: string, config: Config, displayBase = process.cwd()): SourceFile {
  const absolute = path.join(root, relativePath);
  const display = displayPath(absolute, displayBase);
  let bytes: Uint8Array;
  try {
    // Read synchronously: content files are small, and one system call beats four trips through libuv's thread pool.
    bytes = readFileSync(absolute);
  } catch (error) {
    throw new BroadsheetError('BS101', `cannot read ${display}`, { file: display, cause: error });
  }
  return { path: display, relativePath, text: decodeContent(bytes, display), ...identify(relativePath, config, display) };
}

/** What {@link readSource} says of a file apart from its text, without reading it. */
export function nameSource(root: string, relativePath: string, config: Config, displayBase = process.cwd()): Omit<SourceFile, 'text'> {
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

async function listMarkdown(root: string, folder: string, recursive = true): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const absolute = path.join(folder, entry.name);
    const kind = entry.isSymbolicLink() ? await followLink(root, absolute) : entry;
    if (kind === null) continue;
    if (kind.isDirectory()) {
      if (recursive) found.push(...(await listMarkdown(root, absolute)));
    }
    else if (kind.isFile() && entry.name.endsWith('.md')) found.push(path.relative(root, absolute).split(path.sep).join('/'));
  }
  return found;
}

/** What a link points to, or null when it leads outside the content folder or nowhere. */
async function followLink(root: string, link: string): Promise<{ isDirectory(): boolean; isFile(): boolean } | null> {
  try {
    const target = await realpath(link);
    if (target !== root && !target.startsWith(root + path.sep)) return null;
    return await stat(target);
  } catch {
    return null;
  }
}

function displayPath(absolute: string, base: string): string {
  const relative = path.relative(base, absolute);
  return relative.startsWith('..') ? absolute : relative;
}
