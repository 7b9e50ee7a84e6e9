import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import { BUILT_IN_TEMPLATES, layeredFiles } from '../load/template-layers.js';

/**
 * Copies built-in templates into the project's templates folder, to be
 * changed there: the named ones (`article.njk`, `partials/byline.njk`,
 * `i18n/en.yaml`, `assets/style.css`), or all of them. A copied file
 * overrides the built-in one of its name; every other file still comes from
 * the package, so a project copies only what it changes. Returns the names
 * copied.
 *
 * @throws {BroadsheetError} BS503 for a name that is not a built-in template, or one the project already has (unless `force`).
 */
export async function ejectTemplates(templatesDir: string, names: readonly string[] = [], force = false): Promise<string[]> {
  const builtIn = await layeredFiles({ folders: [BUILT_IN_TEMPLATES], project: null });
  const wanted = names.length > 0 ? names.map((name) => name.split(path.sep).join('/').replace(/^templates\//, '')) : [...builtIn.keys()];
  const unknown = wanted.filter((name) => !builtIn.has(name));
  if (unknown.length > 0) {
    throw new BroadsheetError('BS503', `no built-in template is called ${unknown.join(', ')}`, {
      hint: `The built-in templates are: ${[...builtIn.keys()].join(', ')}.`,
    });
  }
  const existing = wanted.filter((name) => existsSync(path.join(templatesDir, name)));
  if (existing.length > 0 && !force) {
    throw new BroadsheetError('BS503', `${templatesDir} already has ${existing.join(', ')}`, {
      file: templatesDir,
      hint: 'Your own copy is kept: pass --force to replace it with the built-in one.',
    });
  }
  for (const name of wanted) {
    const target = path.join(templatesDir, name);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(builtIn.get(name) ?? '', target);
  }
  return wanted;
}
