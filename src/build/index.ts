import { DEFAULT_CACHE_DIR } from '../cache/store.js';
import { BroadsheetErrors, fromErrorRecord } from '../diagnostics/error.js';
import type { BuildOptions, BuildReport } from './builder.js';
import { loadManifest, loadSummary, sameStamps, type ManifestSummary } from './manifest.js';

export type { BuildOptions, BuildReport, ChangeSet } from './builder.js';

/** Default folders, relative to the working folder. */
export const defaults = {
  contentDir: 'content',
  templatesDir: 'templates',
  outDir: 'dist',
  configFile: 'broadsheet.yaml',
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
  const cacheDir = options.persist && !options.dryRun ? options.cacheDir : null;
  const summary = cacheDir ? loadSummary(cacheDir, options) : null;
  if (summary && sameStamps(summary.stamps, options)) return upToDate(summary, started);
  const previous = cacheDir && summary ? loadManifest(cacheDir, options) : null;
  // The builder pulls in the whole pipeline; a build with nothing to do never loads it.
  const { Builder } = await import('./builder.js');
  const report = await new Builder(options, previous).build();
  if (report.errors.length > 0) throw new BroadsheetErrors(report.errors);
  return report;
}

/** The report of a build that found no input file changed since the last one: nothing to do. */
function upToDate(manifest: ManifestSummary, started: number): BuildReport {
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
