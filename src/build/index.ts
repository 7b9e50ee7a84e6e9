import { DEFAULT_CACHE_DIR } from '../cache/store.js';
import { CONFIG_FILE } from '../config/load-config.js';
import { BroadsheetErrors, fromErrorRecord } from '../diagnostics/error.js';
import { Builder, type BuildOptions, type BuildReport } from './builder.js';
import { loadManifest, sameStamps, type OutputManifest } from './manifest.js';

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
  const started = performance.now();
  const previous = options.persist && options.cacheDir && !options.dryRun ? loadManifest(options.cacheDir, options) : null;
  if (previous && sameStamps(previous.stamps, options)) return upToDate(previous, started);
  const report = await new Builder(options, previous).build();
  if (report.errors.length > 0) throw new BroadsheetErrors(report.errors);
  return report;
}

/** The report of a build that found no input file changed since the last one: nothing to do. */
function upToDate(manifest: OutputManifest, started: number): BuildReport {
  return {
    pages: manifest.pages,
    articles: manifest.articles,
    rendered: [],
    written: [],
    deleted: [],
    durationMs: performance.now() - started,
    warnings: manifest.warnings.map(fromErrorRecord),
    errors: [],
    steps: { 'up to date': performance.now() - started },
    upToDate: true,
  };
}
