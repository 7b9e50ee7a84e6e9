import path from 'node:path';
import { CONFIG_FILE, loadConfig, type Config } from './config/load-config.js';
import { BroadsheetErrors, toBroadsheetErrors, type BroadsheetError } from './diagnostics/error.js';
import { checkCatalogueKeys } from './i18n/check-keys.js';
import { loadCatalogues } from './i18n/strings.js';
import { loadAssets } from './load/assets.js';
import { scanContent } from './load/scan.js';
import { parseMarkdown } from './parse/markdown.js';
import { renderArticleHtml } from './render/html.js';
import { planPages, renderPage, type OutputFile, type RenderContext } from './render/pages.js';
import { compileAllTemplates, createTemplateRenderer } from './render/templates.js';
import { checkAlignment } from './structure/alignment.js';
import { toArchive, type Archive } from './structure/archive.js';
import { createConverter, deriveArticle, type TextConverter } from './i18n/derive.js';
import { toArticle } from './structure/article.js';
import type { RenderedArticle, SourceFile } from './types.js';
import { writeSite } from './write/dist.js';

/** Where a build reads from and writes to. */
export interface BuildOptions {
  readonly contentDir: string;
  readonly templatesDir: string;
  readonly outDir: string;
  /** Site configuration file; a missing file means the defaults. */
  readonly configFile: string;
  /** Validate and render everything but write nothing (`broadsheet check`). */
  readonly dryRun?: boolean;
}

/** Default folders, relative to the working folder. */
export const defaults = {
  contentDir: 'content',
  templatesDir: 'templates',
  outDir: 'dist',
  configFile: CONFIG_FILE,
} as const;

/** What a successful build did. */
export interface BuildResult {
  readonly pages: number;
  /** Articles written by hand (sources and translations), not counting derived editions. */
  readonly articles: number;
  readonly files: number;
  readonly durationMs: number;
  /** Problems that do not stop the build, such as translations that do not align. */
  readonly warnings: readonly BroadsheetError[];
}

/**
 * Builds the site: load → parse → structure → render → write. Problems in
 * input files are collected across the whole archive and thrown together,
 * before anything is written.
 *
 * @throws {BroadsheetErrors} listing every problem found.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const config = await loadConfig(options.configFile);
  const errors: BroadsheetError[] = [];
  const scan = await scanContent(options.contentDir, config);
  errors.push(...scan.errors);
  const converters = createConverters(config);
  const articles = collect(scan.files, (file) => structureFile(file, config, converters), errors).flat();
  const context = await createRenderContext(options.templatesDir, config, converters);
  errors.push(...(await compileAllTemplates(context.templates, options.templatesDir)));
  errors.push(...(await checkCatalogueKeys(options.templatesDir, context.catalogues)));
  const archive = collectOne(() => toArchive(articles, config), errors);
  if (!archive || errors.length > 0) throw new BroadsheetErrors(errors);
  const pages = collect(planPages(archive, config), (plan) => renderPage(plan, context), errors);
  if (errors.length > 0) throw new BroadsheetErrors(errors);
  const files: OutputFile[] = [...pages, ...(await loadAssets(options.templatesDir))];
  if (!options.dryRun) await writeSite(options.outDir, files);
  return {
    pages: pages.length,
    articles: scan.files.length,
    files: files.length,
    durationMs: performance.now() - started,
    warnings: alignmentWarnings(archive),
  };
}

/**
 * One content file through parse, structure and HTML rendering; a source
 * file also yields its derived editions (Traditional from Simplified).
 */
export function structureFile(file: SourceFile, config: Config, converters: ReadonlyMap<string, TextConverter>): RenderedArticle[] {
  const structured = toArticle(file, parseMarkdown(file.text), config);
  const rendered = [renderArticleHtml(structured)];
  for (const language of config.languages) {
    const convert = converters.get(language.code);
    if (!convert || language.derive?.from !== file.lang) continue;
    rendered.push(renderArticleHtml({ ...structured, article: deriveArticle(structured.article, language, convert) }));
  }
  return rendered;
}

/** One converter per derived language, built once per run. */
export function createConverters(config: Config): Map<string, TextConverter> {
  return new Map(config.languages.flatMap((language) => (language.derive ? [[language.code, createConverter(language.derive)] as const] : [])));
}

/** Hand translations whose structure differs from their source. */
function alignmentWarnings(archive: Archive): BroadsheetError[] {
  return [...archive.groups.values()].flatMap((group) =>
    [...group.editions.values()]
      .filter((edition) => edition !== group.source && !edition.derived)
      .flatMap((edition) => checkAlignment(group.source.article, edition.article)),
  );
}

async function createRenderContext(templatesDir: string, config: Config, converters: ReadonlyMap<string, TextConverter>): Promise<RenderContext> {
  return {
    config,
    catalogues: await loadCatalogues(path.resolve(templatesDir), config, converters),
    templates: createTemplateRenderer(templatesDir),
    stylesheet: '/assets/style.css',
  };
}

/** Maps each item, collecting user-facing errors instead of stopping at the first. */
function collect<In, Out>(items: readonly In[], map: (item: In) => Out, errors: BroadsheetError[]): Out[] {
  const results: Out[] = [];
  for (const item of items) {
    const result = collectOne(() => map(item), errors);
    if (result !== undefined) results.push(result);
  }
  return results;
}

function collectOne<Out>(run: () => Out, errors: BroadsheetError[]): Out | undefined {
  try {
    return run();
  } catch (error) {
    errors.push(...toBroadsheetErrors(error));
    return undefined;
  }
}
