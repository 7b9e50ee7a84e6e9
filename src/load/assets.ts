import { readFile } from 'node:fs/promises';
import type { OutputFile } from '../model/page.js';
import { layeredFiles, type TemplateLayers } from './template-layers.js';

/** Folder inside the templates folder whose files are copied to `assets/` in the output as they are. */
export const ASSETS_FOLDER = 'assets';

/** Reads the static files (stylesheet, icons) that templates link to, the project's overriding the built-in ones by name. */
export async function loadAssets(layers: TemplateLayers): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  for (const [name, file] of await layeredFiles(layers, ASSETS_FOLDER)) files.push({ path: `${ASSETS_FOLDER}/${name}`, contents: await readFile(file) });
  return files;
}
