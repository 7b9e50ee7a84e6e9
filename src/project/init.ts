import { existsSync } from 'node:fs';
import { unlessMissing } from '../text/absent.js';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BroadsheetError } from '../diagnostics/error.js';
import { ejectTemplates } from './eject.js';

/** The package's own archive, which a new one starts as: its configuration, its report in two languages, its gazetteer. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STARTER = ['broadsheet.yaml', 'content', 'gazetteer'] as const;

const GITIGNORE = `# Written by broadsheet build, watch and dev: the site, what a killed build left beside it, the cache.
dist/
dist.*
.broadsheet-cache/
node_modules/
`;

/** What {@link initArchive} wrote, relative to the new archive's folder. */
export interface InitResult {
  readonly dir: string;
  readonly written: readonly string[];
}

/**
 * Starts an archive in `dir` (made if missing): a commented `broadsheet.yaml`,
 * one example report in Simplified Chinese and English under `content/`, the
 * gazetteer the configuration names, and a `.gitignore`. With `templates`, the
 * built-in templates are copied too, to be changed (see eject.ts); without,
 * the archive uses them from the package.
 *
 * @throws {BroadsheetError} BS503 when any of these already exists there: nothing is written then.
 */
export async function initArchive(dir: string, options: { readonly templates?: boolean } = {}): Promise<InitResult> {
  const names = [...STARTER, '.gitignore', ...(options.templates ? ['templates'] : [])];
  const existing = names.filter((name) => existsSync(path.join(dir, name)));
  if (existing.length > 0) {
    throw new BroadsheetError('BS503', `${dir} already has ${existing.join(', ')}`, {
      file: dir,
      hint: 'Choose an empty folder (broadsheet init new-archive), or move those away first; init never overwrites a file.',
    });
  }
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const name of STARTER) {
    await cp(path.join(PACKAGE_ROOT, name), path.join(dir, name), { recursive: true });
    written.push(...(await filesBelow(dir, name)));
  }
  await writeFile(path.join(dir, '.gitignore'), GITIGNORE, { flag: 'wx' });
  written.push('.gitignore');
  if (options.templates) written.push(...(await ejectTemplates(path.join(dir, 'templates'))).map((name) => `templates/${name}`));
  return { dir, written: written.sort() };
}

/** The files of `name` under `dir` (itself, when it is a file), relative to `dir`. */
async function filesBelow(dir: string, name: string): Promise<string[]> {
  const entries = await unlessMissing(readdir(path.join(dir, name), { recursive: true, withFileTypes: true }));
  if (entries === null) return [name];
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}
