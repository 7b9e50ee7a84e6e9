import { DEFAULT_CACHE_DIR } from '../cache/store.js';
import { CONFIG_FILE } from '../config/load-config.js';
import { BroadsheetErrors } from '../diagnostics/error.js';
import { Builder, type BuildOptions, type BuildReport } from './builder.js';

export { Builder, type BuildOptions, type BuildReport, type ChangeSet } from './builder.js';
export { structureFile } from './structure-file.js';

/** Default folders, relative to the working folder. */
export const defaults = {
  contentDir: 'content',
  templatesDir: 'templates',
  outDir: 'dist',
  configFile: CONFIG_FILE,
  cacheDir: DEFAULT_CACHE_DIR,
} as const;

/**
 * Builds the whole site once: load → parse → structure → render → write.
 * Problems in input files are collected across the whole archive and
 * thrown together, before anything is written.
 *
 * @throws {BroadsheetErrors} listing every problem found.
 */
export async function build(options: BuildOptions): Promise<BuildReport> {
  const report = await new Builder(options).build();
  if (report.errors.length > 0) throw new BroadsheetErrors(report.errors);
  return report;
}
