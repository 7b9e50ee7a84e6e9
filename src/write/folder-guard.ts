import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';

/** The user's own files and folders, which no folder broadsheet replaces or removes may hold. */
export interface ProtectedPaths {
  readonly contentDir: string;
  readonly templatesDir: string;
  readonly configFile: string;
}

/**
 * A full build swaps a new output folder in for the old one as a whole, and
 * `broadsheet clean` removes the cache and output folders: a mistyped
 * `--out content`, `--out .` or `--cache-dir ~` would take the user's
 * reports with it. Refuses such a folder before anything is written.
 *
 * @throws {BroadsheetError} BS403 when `folder` is, holds or lies inside one of the user's own places.
 */
export function guardFolder(folder: string, role: 'output' | 'cache', own: ProtectedPaths, workingDir = process.cwd()): void {
  const target = realPath(folder);
  const places: [string, string][] = [
    ['content folder', own.contentDir],
    ['templates folder', own.templatesDir],
    ['configuration file', own.configFile],
    ['working folder', workingDir],
  ];
  for (const [what, place] of places) {
    const real = realPath(place);
    if (real === target || isInside(real, target)) {
      throw refusal(folder, role, `holds the ${what} ${place}`);
    }
    if (what.endsWith('folder') && what !== 'working folder' && isInside(target, real)) {
      throw refusal(folder, role, `lies inside the ${what} ${place}`);
    }
  }
  if (statSync(target, { throwIfNoEntry: false })?.isFile()) throw refusal(folder, role, 'is a file');
}

function refusal(folder: string, role: 'output' | 'cache', problem: string): BroadsheetError {
  const replaces = role === 'output' ? 'A build replaces its output folder as a whole' : '`broadsheet clean` removes the cache folder';
  return new BroadsheetError('BS403', `the ${role} folder ${folder} ${problem}`, {
    file: folder,
    hint: `${replaces}. Choose a folder of its own (${role === 'output' ? 'dist' : '.broadsheet-cache'}), new or empty.`,
  });
}

/** The real path of a place, or of its nearest existing parent joined with the rest when it does not exist yet. */
function realPath(place: string): string {
  const absolute = path.resolve(place);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(realPath(parent), path.basename(absolute));
  }
}

function isInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative !== '' && relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative);
}
