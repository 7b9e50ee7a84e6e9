import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import * as pagefind from 'pagefind';
import { BroadsheetError } from '../diagnostics/error.js';

/** The folder of the built site that holds the search index and Pagefind's interface files. */
export const SEARCH_BUNDLE = 'pagefind';

/**
 * Builds the Pagefind full-text index of a built site into `<site>/pagefind/`.
 * Pagefind reads only the parts of pages marked `data-pagefind-body` (the
 * article text, not listings or the parallel view), makes one index per
 * `<html lang>`, and segments Chinese text itself.
 *
 * @throws {BroadsheetError} BS401 when Pagefind fails.
 */
export async function indexSite(siteDir: string): Promise<{ pages: number }> {
  const bundle = path.join(path.resolve(siteDir), SEARCH_BUNDLE);
  // Written beside the live bundle and swapped in, so a browser never loads half an index.
  const next = `${bundle}.next-${process.pid}`;
  try {
    const { index, errors } = await pagefind.createIndex({});
    if (!index) throw new Error(errors.join('; '));
    const added = await index.addDirectory({ path: path.resolve(siteDir), glob: '**/*.html' });
    if (added.errors.length > 0) throw new Error(added.errors.join('; '));
    await rm(next, { recursive: true, force: true });
    const written = await index.writeFiles({ outputPath: next });
    if (written.errors.length > 0) throw new Error(written.errors.join('; '));
    const old = `${bundle}.old-${process.pid}`;
    await rename(bundle, old).catch(() => undefined);
    await rename(next, bundle);
    await rm(old, { recursive: true, force: true });
    return { pages: added.page_count };
  } catch (error) {
    await rm(next, { recursive: true, force: true });
    throw new BroadsheetError('BS401', `cannot build the search index: ${(error as Error).message}`, { file: siteDir, cause: error });
  } finally {
    await pagefind.close();
  }
}
