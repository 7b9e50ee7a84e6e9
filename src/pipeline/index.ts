import { DEFAULT_CACHE_DIR } from '../cache/store.js';
import { BroadsheetErrors, fromErrorRecord } from '../diagnostics/error.js';
import type { BuildOptions, BuildReport } from '../model/build.js';
import { relaxHeapGrowth } from './heap-growth.js';
import { lockOutput, recoverIfFree } from '../write/lock.js';
import { recoverOutput } from '../write/recover.js';
import { changedInputs, isInside, loadManifest, loadSummary, type ManifestSummary } from './manifest.js';
import type { Builder } from './builder.js';

// The pipeline's public entry: what the command line and watch mode use of it.
export type { Builder } from './builder.js';
export { formatSteps } from './step-timer.js';
export { relaxHeapGrowth } from './heap-growth.js';

/**
 * A builder that keeps what it learned between builds (watch mode). With
 * `fromRecord`, its first build starts from the record of the output
 * folder that a one-shot build or an ended session left, when there is one
 * and it is intact: then it renders only the pages whose inputs changed
 * since, instead of the whole site. The builder pulls in the whole
 * pipeline; it is loaded when first asked for.
 */
export async function createBuilder(options: BuildOptions, { fromRecord = false } = {}): Promise<Builder> {
  const { Builder } = await import('./builder.js');
  const cacheDir = fromRecord && !options.dryRun ? options.cacheDir : null;
  const summary = cacheDir ? loadSummary(cacheDir, options) : null;
  const record = cacheDir && summary ? loadManifest(cacheDir, options, summary) : null;
  return record ? new Builder(options, record, changedInputs(record.stamps, options).stamps) : new Builder(options);
}

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
  if (options.dryRun) {
    await recoverIfFree(options.outDir);
    return buildLocked(options);
  }
  const lock = await lockOutput(options.outDir, 'build', options.onWait);
  try {
    // Before anything else, even the up-to-date check: a build killed while writing is undone first.
    await recoverOutput(options.outDir);
    return await buildLocked(options);
  } finally {
    lock.release();
  }
}

/** {@link build}, with the output folder to itself. */
async function buildLocked(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const cacheDir = options.persist && !options.dryRun ? options.cacheDir : null;
  const summary = cacheDir ? loadSummary(cacheDir, options) : null;
  const inputs = summary ? changedInputs(summary.stamps, options) : null;
  if (summary && inputs?.changed.length === 0 && !summary.searchBehind) return upToDate(summary, started);
  const previous = cacheDir && summary ? loadManifest(cacheDir, options, summary) : null;
  if (previous && inputs && isFewContentEdits(inputs.changed, options)) relaxHeapGrowth();
  // The builder pulls in the whole pipeline; a build with nothing to do never loads it.
  const { Builder } = await import('./builder.js');
  const report = await new Builder(options, previous, inputs?.stamps).build();
  if (report.errors.length > 0) throw new BroadsheetErrors(report.errors);
  return report;
}

// At most this many changed content files count as a few edits (see isFewContentEdits).
const FEW_EDITS = 64;

/**
 * True when only a few content files changed since the output was written:
 * the build then loads the archive and renders a handful of pages, making
 * little garbage, and the heap cap that keeps a full build's peak down only
 * costs it collections and time, for a few megabytes of peak memory
 * (docs/performance.md). A template or configuration edit
 * re-renders every page, and keeps the cap.
 */
export function isFewContentEdits(changed: readonly string[], inputs: Pick<BuildOptions, 'contentDir'>): boolean {
  return changed.length <= FEW_EDITS && changed.every((file) => isInside(file, inputs.contentDir));
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
