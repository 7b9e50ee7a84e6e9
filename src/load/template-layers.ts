import { readdir, stat } from 'node:fs/promises';
import { unlessMissing } from '../text/absent.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BroadsheetError } from '../diagnostics/error.js';

/** The templates broadsheet ships: a whole site's, used wherever a project has none of its own. */
export const BUILT_IN_TEMPLATES = fileURLToPath(new URL('../../templates', import.meta.url));

/**
 * Where templates, string catalogues and assets are looked up, in order: the
 * project's own templates folder, if it has one, then the built-in
 * templates. A file of the project overrides the built-in file of the same
 * name, file by file (`article.njk`, `partials/byline.njk`, `i18n/en.yaml`,
 * `assets/style.css`); everything it does not have comes from the built-in
 * templates.
 */
export interface TemplateLayers {
  /** Folders to look in, the project's first. */
  readonly folders: readonly string[];
  /** The project's own templates folder, when it has one. */
  readonly project: string | null;
}

/**
 * The layers for a templates folder. A folder that does not exist leaves the
 * built-in templates alone, unless it was named on purpose (`--templates`).
 *
 * @throws {BroadsheetError} BS502 when a folder named on purpose is missing, or is not a folder.
 */
export async function resolveTemplateLayers(templatesDir: string, required: boolean): Promise<TemplateLayers> {
  const info = await unlessMissing(stat(templatesDir));
  const builtIn = path.resolve(BUILT_IN_TEMPLATES);
  if (info === null) {
    if (!required) return { folders: [builtIn], project: null };
    throw new BroadsheetError('BS502', `the templates folder ${templatesDir} does not exist`, { file: templatesDir });
  }
  if (!info.isDirectory()) {
    throw new BroadsheetError('BS502', `the templates folder ${templatesDir} is not a folder`, { file: templatesDir, hint: 'Point --templates at a folder, not a file.' });
  }
  const project = path.resolve(templatesDir);
  return { folders: project === builtIn ? [project] : [project, builtIn], project };
}

/**
 * The files of the layers below `subfolder` (all of them for ''), by their
 * name relative to the layer (`partials/toc.njk`), each from the first layer
 * that has it; names sorted. Dot files are skipped.
 */
export async function layeredFiles(layers: TemplateLayers, subfolder = '', accept: (name: string) => boolean = () => true): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const folder of layers.folders) {
    const root = path.join(folder, subfolder);
    const entries = await unlessMissing(readdir(root, { recursive: true, withFileTypes: true }), []);
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      const name = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      if (name.split('/').some((part) => part.startsWith('.')) || !accept(name) || found.has(name)) continue;
      found.set(name, path.join(entry.parentPath, entry.name));
    }
  }
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
