import { escapeRegExp, isAlive } from './files.js';
import { unlessMissing } from '../text/absent.js';
import { readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { recoverPatches } from './patch.js';

/**
 * Puts the output folder back in order after builds that were killed, as
 * every command that reads or writes it does first (build, check, watch,
 * dev, serve, clean):
 * - a kill between the two renames of a full build's swap left the previous
 *   output under its retired name and none under its own: it goes back;
 * - a patch that was not committed is undone, one that was is cleaned up;
 * - staging and retired folders, and the files watch mode set aside
 *   (set-aside.ts), whose process is gone are removed;
 * - so are search bundles a killed session was writing or replacing
 *   (`<edition>/pagefind/<folder>.next-<pid>`, search/pagefind.ts).
 */
export async function recoverOutput(outDir: string): Promise<void> {
  const target = path.resolve(outDir);
  await restoreInterruptedSwap(target);
  await recoverPatches(target);
  await removeAbandoned(target);
  await removeAbandonedBundles(target);
}

/**
 * A process killed between the two renames of a swap leaves the previous
 * output under its retired name and no output folder; put it back.
 */
async function restoreInterruptedSwap(target: string): Promise<void> {
  if (await exists(target)) return;
  const parent = path.dirname(target);
  const prefix = `${path.basename(target)}.old-`;
  const siblings = await unlessMissing(readdir(parent), [] as string[]);
  const retired = siblings.filter((name) => name.startsWith(prefix) && !isAlive(Number(name.slice(prefix.length)))).sort();
  const newest = retired.at(-1);
  if (newest) await rename(path.join(parent, newest), target);
}

/**
 * Staging, retired and set-aside folders left by processes that were
 * killed: nobody will finish or remove them.
 */
async function removeAbandoned(target: string): Promise<void> {
  const parent = path.dirname(target);
  const pattern = new RegExp(`^${escapeRegExp(path.basename(target))}\\.(?:staging|old|replaced)-(\\d+)$`);
  for (const name of await unlessMissing(readdir(parent), [] as string[])) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Search bundles that a watch session killed part way through its
 * background index left inside the output: not linked from any page, but
 * they would be published.
 */
async function removeAbandonedBundles(target: string): Promise<void> {
  const pattern = /\.(?:next|old)-(\d+)$/;
  for (const edition of await unlessMissing(readdir(target), [] as string[])) {
    const bundles = path.join(target, edition, 'pagefind');
    for (const name of await unlessMissing(readdir(bundles), [] as string[])) {
      const pid = Number(pattern.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await rm(path.join(bundles, name), { recursive: true, force: true });
    }
  }
}

async function exists(folder: string): Promise<boolean> {
  try {
    await readdir(folder);
    return true;
  } catch {
    return false;
  }
}
