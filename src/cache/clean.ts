import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';

/** Removes the cache folder and, when named, an output folder; returns what existed and was removed. */
export async function clean(cacheDir: string, outDir?: string): Promise<string[]> {
  const removed: string[] = [];
  for (const folder of [cacheDir, outDir]) {
    if (folder === undefined || !existsSync(folder)) continue;
    await rm(folder, { recursive: true, force: true });
    removed.push(folder);
  }
  return removed;
}
