import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { OutputFile } from '../render/pages.js';
import { isAlive, writeAll } from './files.js';

/**
 * Adds whole folders to a patch once its files are written: given the folder
 * of new files, writes more into it and names what it wrote and what should
 * go (the search bundles of the changed pages, built from the new pages).
 */
export type PreparePatch = (newDir: string) => Promise<{ readonly writes: readonly string[]; readonly deletes: readonly string[] }>;

/** What a patch does to the output folder, written before anything in it is touched. */
interface Journal {
  readonly writes: readonly string[];
  readonly deletes: readonly string[];
}

/**
 * Changes a few files (and folders) of an existing output folder as one unit, for a
 * one-shot build that found most of its pages unchanged. The new files are
 * written beside the folder first; then each replaced or deleted file is
 * moved aside before its replacement is moved in, following a journal. A
 * build killed at any moment leaves either the new folder or — once
 * {@link recoverPatches} has run, as every build does first — exactly the
 * previous one.
 *
 * @throws {BroadsheetError} BS401 when the output cannot be written.
 */
export async function applyPatch(outDir: string, files: readonly OutputFile[], deletes: readonly string[], prepare?: PreparePatch): Promise<void> {
  const target = path.resolve(outDir);
  const patch = `${target}.patch-${process.pid}`;
  await recoverPatches(target);
  if (files.length === 0 && deletes.length === 0 && !prepare) return;
  try {
    await rm(patch, { recursive: true, force: true });
    await mkdir(patch, { recursive: true });
    writeAll(path.join(patch, 'new'), files);
    const extra = prepare ? await prepare(path.join(patch, 'new')) : { writes: [], deletes: [] };
    const journal: Journal = { writes: [...files.map((file) => file.path), ...extra.writes], deletes: [...deletes, ...extra.deletes] };
    await writeFile(path.join(patch, 'journal.json'), JSON.stringify(journal));
    for (const file of [...journal.writes, ...journal.deletes]) {
      const live = path.join(target, file);
      if (existsSync(live)) {
        await mkdir(path.dirname(path.join(patch, 'old', file)), { recursive: true });
        await rename(live, path.join(patch, 'old', file));
      }
    }
    for (const file of journal.writes) {
      await mkdir(path.dirname(path.join(target, file)), { recursive: true });
      await rename(path.join(patch, 'new', file), path.join(target, file));
    }
    await writeFile(path.join(patch, 'committed'), '');
    await rm(patch, { recursive: true, force: true });
    for (const file of deletes) await removeEmptyParents(target, path.dirname(path.join(target, file)));
  } catch (error) {
    await rollBack(target, patch).catch(() => undefined);
    throw new BroadsheetError('BS401', `cannot update ${outDir}: ${(error as Error).message}`, { file: outDir, cause: error });
  }
}

/**
 * Finishes the patches of builds that were killed: a committed patch is
 * only cleaned up; an uncommitted one is undone, putting every moved-aside
 * file back, so the folder is as the last complete build left it.
 */
export async function recoverPatches(target: string): Promise<void> {
  const parent = path.dirname(target);
  const pattern = new RegExp(`^${escapeRegExp(path.basename(target))}\\.patch-(\\d+)$`);
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await rollBack(target, path.join(parent, name));
  }
}

async function rollBack(target: string, patch: string): Promise<void> {
  const committed = existsSync(path.join(patch, 'committed'));
  const journalText = await readFile(path.join(patch, 'journal.json'), 'utf8').catch(() => null);
  // Without a journal nothing in the output folder was touched yet.
  if (!committed && journalText !== null) {
    const journal = JSON.parse(journalText) as Journal;
    const written = new Set(journal.writes);
    for (const file of [...journal.writes, ...journal.deletes]) {
      const live = path.join(target, file);
      const old = path.join(patch, 'old', file);
      if (existsSync(old)) {
        // A folder (a search bundle) cannot be renamed over another; take the new one away first.
        await rm(live, { recursive: true, force: true });
        await rename(old, live);
      }
      // Moved in, and there was nothing before it: the file is new, so it goes.
      else if (written.has(file) && !existsSync(path.join(patch, 'new', file))) {
        await rm(live, { recursive: true, force: true });
        await removeEmptyParents(target, path.dirname(live));
      }
    }
  }
  await rm(patch, { recursive: true, force: true });
}

// A deleted article leaves its folder behind (zh-hans/2019/slug/); remove folders that became empty.
export async function removeEmptyParents(root: string, folder: string): Promise<void> {
  for (let current = folder; current.startsWith(root + path.sep); current = path.dirname(current)) {
    const entries = await readdir(current).catch(() => null);
    if (entries === null) continue;
    if (entries.length > 0) return;
    await rmdir(current).catch(() => undefined);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
