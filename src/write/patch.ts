import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { isMissing, unlessMissing } from '../text/absent.js';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { OutputFile } from '../model/page.js';
import { failpoint } from './failpoint.js';
import { escapeRegExp, isAlive, writeAll } from './files.js';

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
 * Changes a few files (and folders) of an existing output folder as one
 * unit, for a one-shot build that found most of its pages unchanged.
 *
 * The new files are written beside the folder first, and a journal of what
 * will change. Then each file is renamed over the one it replaces, which is
 * atomic: a reader of the folder (a server, a deploy) sees the old file or
 * the new one, never none. The old one is kept by a hard link beforehand, so
 * the patch can be undone. Files that go are removed last. A build killed at
 * any moment leaves every page in place, old or new; the next broadsheet
 * command that touches the folder (see recover.ts) puts back exactly the
 * previous output, or finishes a patch that was complete.
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
    const folders = extra.writes.map((folder) => folderChanges(path.join(patch, 'new'), target, folder));
    const journal: Journal = {
      writes: [...files.map((file) => file.path), ...folders.flatMap((changes) => changes.writes)],
      deletes: [...deletes, ...extra.deletes, ...folders.flatMap((changes) => changes.deletes)],
    };
    await writeFile(path.join(patch, 'journal.json'), JSON.stringify(journal));
    let applied = 0;
    for (const file of journal.writes) {
      failpoint('patch', applied++);
      await replaceKeepingOld(target, patch, file);
    }
    for (const file of journal.deletes) {
      failpoint('patch', applied++);
      await moveAside(target, patch, file);
    }
    failpoint('patch', applied);
    await writeFile(path.join(patch, 'committed'), '');
    await rm(patch, { recursive: true, force: true });
    for (const file of journal.deletes) await removeEmptyParents(target, path.dirname(path.join(target, file)));
  } catch (error) {
    try {
      await rollBack(target, patch);
    } catch (rollbackError) {
      // The patch folder stays, with its journal: the next command that touches the output undoes it.
      throw new BroadsheetError('BS401', `cannot update ${outDir}: ${(error as Error).message}; undoing it failed too (${(rollbackError as Error).message})`, {
        file: outDir,
        cause: error,
        hint: 'Check that the output folder is writable and the disk is not full, then build again: the next build undoes what this one left.',
      });
    }
    throw new BroadsheetError('BS401', `cannot update ${outDir}: ${(error as Error).message}`, { file: outDir, cause: error });
  }
}

/** Moves the new `file` over the live one, after keeping the live one (if any) under the patch's `old/`. */
async function replaceKeepingOld(target: string, patch: string, file: string): Promise<void> {
  const live = path.join(target, file);
  const fresh = path.join(patch, 'new', file);
  const old = path.join(patch, 'old', file);
  const info = await unlessMissing(stat(live));
  if (info?.isFile()) {
    await mkdir(path.dirname(old), { recursive: true });
    await keepCopy(live, old);
  } else if (info) {
    // A folder where a file goes (or the reverse) cannot be renamed over: it goes aside first.
    await mkdir(path.dirname(old), { recursive: true });
    await rename(live, old);
  }
  await mkdir(path.dirname(live), { recursive: true });
  await rename(fresh, live);
}

/** Takes a file out of the live folder, keeping it under the patch's `old/`. */
async function moveAside(target: string, patch: string, file: string): Promise<void> {
  const live = path.join(target, file);
  if (!existsSync(live)) return;
  const old = path.join(patch, 'old', file);
  await mkdir(path.dirname(old), { recursive: true });
  await rename(live, old);
}

/** A second name for a file (a copy where the disk cannot link), so that renaming a new file over it keeps it. */
async function keepCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
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
export function folderChanges(fresh: string, live: string, folder: string): Journal {
  if (statSync(path.join(fresh, folder), { throwIfNoEntry: false })?.isFile()) {
    return { writes: sameBytes(path.join(fresh, folder), path.join(live, folder)) ? [] : [folder], deletes: [] };
  }
  const made = filesUnder(path.join(fresh, folder));
  const kept = new Set(filesUnder(path.join(live, folder)));
  const writes = made.filter((file) => !kept.has(file) || !sameBytes(path.join(fresh, folder, file), path.join(live, folder, file))).map((file) => path.join(folder, file));
  const stillMade = new Set(made);
  const deletes = [...kept].filter((file) => !stillMade.has(file)).map((file) => path.join(folder, file));
  return { writes, deletes };
}

// Comparing a search bundle with the live one reads a few hundred small files: synchronous reads take a
// fraction of the time that round trips through libuv's thread pool take on a busy machine.

/** The files below `folder`, relative to it; none when it does not exist. */
function filesUnder(folder: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { recursive: true, withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)));
}

/** True when both are files with the same bytes; false when either is missing. */
function sameBytes(a: string, b: string): boolean {
  const infoA = statSync(a, { throwIfNoEntry: false });
  const infoB = statSync(b, { throwIfNoEntry: false });
  if (!infoA?.isFile() || !infoB?.isFile() || infoA.size !== infoB.size) return false;
  return readFileSync(a).equals(readFileSync(b));
}

/**
 * Finishes the patches of builds that were killed: a committed patch is
 * only cleaned up; an uncommitted one is undone, putting every replaced or
 * removed file back, so the folder is as the last complete build left it.
 */
export async function recoverPatches(target: string): Promise<void> {
  const parent = path.dirname(target);
  const pattern = new RegExp(`^${escapeRegExp(path.basename(target))}\\.patch-(\\d+)$`);
  for (const name of await unlessMissing(readdir(parent), [] as string[])) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await rollBack(target, path.join(parent, name));
  }
}

/** Undoes what a patch did, following its journal, unless it was committed; then removes the patch folder. */
async function rollBack(target: string, patch: string): Promise<void> {
  const committed = existsSync(path.join(patch, 'committed'));
  const journalText = await unlessMissing(readFile(path.join(patch, 'journal.json'), 'utf8'));
  // Without a journal nothing in the output folder was touched yet.
  if (!committed && journalText !== null) {
    const journal = JSON.parse(journalText) as Journal;
    for (const file of journal.writes) await undoWrite(target, patch, file);
    for (const file of journal.deletes) await undoDelete(target, patch, file);
  }
  await rm(patch, { recursive: true, force: true });
}

/** Puts back the file a patch replaced (atomically, over the new one), or removes the one it added. */
async function undoWrite(target: string, patch: string, file: string): Promise<void> {
  const live = path.join(target, file);
  const old = path.join(patch, 'old', file);
  if (existsSync(old)) {
    // A folder cannot be renamed over a file (or the reverse): what is live then goes first.
    const [liveInfo, oldInfo] = await Promise.all([unlessMissing(stat(live)), stat(old)]);
    if (liveInfo && liveInfo.isFile() !== oldInfo.isFile()) await rm(live, { recursive: true, force: true });
    await rename(old, live);
  } else if (!existsSync(path.join(patch, 'new', file))) {
    // Moved in, and there was nothing before it: the file is new, so it goes.
    await rm(live, { recursive: true, force: true });
    await removeEmptyParents(target, path.dirname(live));
  }
}

/** Puts back a file a patch removed. */
async function undoDelete(target: string, patch: string, file: string): Promise<void> {
  const old = path.join(patch, 'old', file);
  const live = path.join(target, file);
  if (!existsSync(old) || existsSync(live)) return;
  await mkdir(path.dirname(live), { recursive: true });
  await rename(old, live);
}

// A deleted article leaves its folder behind (zh-hans/2019/slug/); remove folders that became empty.
export async function removeEmptyParents(root: string, folder: string): Promise<void> {
  for (let current = folder; current.startsWith(root + path.sep); current = path.dirname(current)) {
    const entries = await unlessMissing(readdir(current));
    if (entries === null) continue;
    if (entries.length > 0) return;
    // Another writer may have put a file in meanwhile: then the folder stays, as it should.
    await rmdir(current).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && !isMissing(error)) throw error;
    });
  }
}
