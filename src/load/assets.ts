import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../render/pages.js';

/** Folder inside the templates folder whose files are copied to `assets/` in the output as they are. */
export const ASSETS_FOLDER = 'assets';

/** Reads the static files (stylesheet, icons) that templates link to. */
export async function loadAssets(templatesDir: string): Promise<OutputFile[]> {
  const root = path.join(templatesDir, ASSETS_FOLDER);
  const files: OutputFile[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.')) continue;
      const absolute = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(absolute);
      else if (entry.isFile()) {
        const relative = path.relative(root, absolute).split(path.sep).join('/');
        files.push({ path: `${ASSETS_FOLDER}/${relative}`, contents: await readFile(absolute) });
      }
    }
  };
  await walk(root);
  return files;
}
