import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { OutputFile } from '../render/pages.js';
import { isAlive, writeAll } from './files.js';

/**
 * Adds whole folders to a patch once its files are written: given the folder
 * of new files, writes more into it and names what it wrote and what should
 * go (the search bundles of the changed pages, built from the new pages).
 * A folder written is applied file by file: see {@link folderChanges}.
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
    const folders = await Promise.all(extra.writes.map((folder) => folderChanges(path.join(patch, 'new'), target, folder)));
    const journal: Journal = {
      writes: [...files.map((file) => file.path), ...folders.flatMap((changes) => changes.writes)],
      deletes: [...deletes, ...extra.deletes, ...folders.flatMap((changes) => changes.deletes)],
    };
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
    for (const file of journal.deletes) await removeEmptyParents(target, path.dirname(path.join(target, file)));
  } catch (error) {
    await rollBack(target, patch).catch(() => undefined);
    throw new BroadsheetError('BS401', `cannot update ${outDir}: ${(error as Error).message}`, { file: outDir, cause: error });
  }
}

/**
 * What a patch must move in and take away so that `folder` of the live
 * output holds what the same folder of `fresh` holds, file by file. Files
 * whose bytes are the same are left alone, modification time included: a
 * re-indexed search bundle changes a few of its files (the edited page's
 * fragment, the index chunks, the entry file), and a deploy that syncs by
 * time then uploads only those.
 */
export async function folderChanges(fresh: string, live: string, folder: string): Promise<Journal> {
  if ((await stat(path.join(fresh, folder)).catch(() => null))?.isFile()) {
    const same = existsSync(path.join(live, folder)) && (await sameBytes(path.join(fresh, folder), path.join(live, folder)));
    return { writes: same ? [] : [folder], deletes: [] };
  }
  const made = await filesUnder(path.join(fresh, folder));
  const kept = new Set(await filesUnder(path.join(live, folder)));
  const writes: string[] = [];
  for (const file of made) {
    const same = kept.has(file) && (await sameBytes(path.join(fresh, folder, file), path.join(live, folder, file)));
    if (!same) writes.push(path.join(folder, file));
  }
  const stillMade = new Set(made);
  const deletes = [...kept].filter((file) => !stillMade.has(file)).map((file) => path.join(folder, file));
  return { writes, deletes };
}

/** The files below `folder`, relative to it; none when it does not exist. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)));
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [infoA, infoB] = await Promise.all([stat(a), stat(b)]);
  if (!infoA.isFile() || !infoB.isFile() || infoA.size !== infoB.size) return false;
  const [bytesA, bytesB] = await Promise.all([readFile(a), readFile(b)]);
  return bytesA.equals(bytesB);
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
