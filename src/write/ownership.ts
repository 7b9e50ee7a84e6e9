import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { OutputFile } from '../model/page.js';

/**
 * The file in the output folder that says broadsheet wrote it, and which of
 * its files are broadsheet's: one path per line, sorted, a folder owned as a
 * whole (a search bundle, whose files Pagefind names) ending in `/`. It is
 * part of the output like any page, the same whatever the kind of build.
 */
export const OWNERSHIP_MARKER = '.broadsheet-output';

const HEADER = '# Written by broadsheet: the files of this site. broadsheet replaces or removes this folder only while it holds these files and no others.';

// Files the operating system leaves in any folder a person opens: not anyone's work.
const SYSTEM_LITTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/** The marker listing `files` and the folders owned whole, itself included. */
export function ownershipMarker(files: Iterable<string>, folders: Iterable<string>): OutputFile {
  const lines = [...new Set([...files, OWNERSHIP_MARKER, ...[...folders].map((folder) => `${folder.replace(/\/?$/, '/')}`)])].sort();
  return { path: OWNERSHIP_MARKER, contents: `${HEADER}\n${lines.join('\n')}\n` };
}

/**
 * Before broadsheet replaces an existing output folder as a whole (a full
 * build) or removes it (`clean --out`): the folder must be empty, or hold
 * only files its marker lists. Anything else — a folder broadsheet did not
 * write, or files added to one it did — is the user's, and nothing is
 * touched unless `force` says to.
 *
 * @throws {BroadsheetError} BS403 naming a few of the files that would be lost.
 */
export function guardOwnedOutput(outDir: string, force = false): void {
  if (force) return;
  const files = filesIn(outDir);
  if (files.length === 0) return;
  const owned = readMarker(outDir);
  if (owned === null) {
    throw refusal(outDir, `holds files broadsheet did not write (${listed(files)}), and no ${OWNERSHIP_MARKER} marker`);
  }
  const foreign = files.filter((file) => !isOwned(file, owned));
  if (foreign.length > 0) throw refusal(outDir, `holds files broadsheet did not write: ${listed(foreign)}`);
}

/** The text of the marker in `outDir`, or null when there is none. */
export function readOwnershipMarker(outDir: string): string | null {
  try {
    return readFileSync(path.join(outDir, OWNERSHIP_MARKER), 'utf8');
  } catch {
    return null;
  }
}

/** What the marker of `outDir` lists, or null when there is none. */
function readMarker(outDir: string): { readonly files: ReadonlySet<string>; readonly folders: readonly string[] } | null {
  const text = readOwnershipMarker(outDir);
  if (text === null) return null;
  const lines = text.split('\n');
  if (lines[0] !== HEADER) return null;
  const entries = lines.slice(1).filter(Boolean);
  return { files: new Set(entries.filter((entry) => !entry.endsWith('/'))), folders: entries.filter((entry) => entry.endsWith('/')) };
}

function isOwned(file: string, owned: NonNullable<ReturnType<typeof readMarker>>): boolean {
  return owned.files.has(file) || owned.folders.some((folder) => file.startsWith(folder)) || SYSTEM_LITTER.has(path.posix.basename(file));
}

/** Every file (and link) below `folder`, relative, with `/` separators; none when it does not exist. */
function filesIn(folder: string): string[] {
  try {
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => !entry.isDirectory())
      .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .sort();
  } catch {
    return [];
  }
}

function listed(files: readonly string[]): string {
  return files.slice(0, 3).join(', ') + (files.length > 3 ? `, and ${files.length - 3} more` : '');
}

function refusal(outDir: string, problem: string): BroadsheetError {
  return new BroadsheetError('BS403', `the output folder ${outDir} ${problem}`, {
    file: outDir,
    hint: `broadsheet replaces its output folder as a whole. Move those files out, choose another --out, or pass --force to replace the folder anyway.`,
  });
}
