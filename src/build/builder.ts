import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type Config } from '../config/load-config.js';
import { BroadsheetError, toBroadsheetErrors } from '../diagnostics/error.js';
import { checkCatalogueKeys } from '../i18n/check-keys.js';
import { createConverter, deriveArticle, type TextConverter } from '../i18n/derive.js';
import { loadCatalogues, type Catalogue } from '../i18n/strings.js';
import { loadAssets } from '../load/assets.js';
import { listContent, readSource } from '../load/scan.js';
import { parseMarkdown } from '../parse/markdown.js';
import { renderArticleHtml } from '../render/html.js';
import { planPages, renderPage, type OutputFile, type PagePlan, type RenderContext } from '../render/pages.js';
import { readTemplateSet, type TemplateSet } from '../render/template-set.js';
import { compileAllTemplates, createTemplateRenderer } from '../render/templates.js';
import { checkAlignment } from '../structure/alignment.js';
import { toArchive, type Archive } from '../structure/archive.js';
import { toArticle } from '../structure/article.js';
import type { RenderedArticle, SourceFile } from '../types.js';
import { writeSite } from '../write/dist.js';
import { updateFiles } from '../write/output-dir.js';
import { pageSignature } from './signature.js';

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

/** What changed since the last build, as a watcher reports it. */
export interface ChangeSet {
  readonly config?: boolean;
  readonly templates?: boolean;
  /** Absolute paths of content files that were added, changed or removed. */
  readonly content?: readonly string[];
}

/** What one build or rebuild did. */
export interface BuildReport {
  /** Pages the site has. */
  readonly pages: number;
  /** Hand-written content files (sources and translations). */
  readonly articles: number;
  /** URLs of the pages rendered this time (the others were unchanged). */
  readonly rendered: readonly string[];
  /** Output files written and deleted, relative to the output folder. */
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  readonly durationMs: number;
  /** Problems that do not stop the build, such as translations that do not align. */
  readonly warnings: readonly BroadsheetError[];
  /** When not empty, nothing was written: the previous output stays. */
  readonly errors: readonly BroadsheetError[];
}

interface SourceRecord {
  readonly file: SourceFile | null;
  readonly articles: readonly RenderedArticle[];
  readonly errors: readonly BroadsheetError[];
}

interface Templates {
  readonly context: RenderContext;
  readonly set: TemplateSet;
  readonly catalogueHashes: ReadonlyMap<string, string>;
  readonly errors: readonly BroadsheetError[];
}

interface OutputRecord {
  readonly signature: string;
  readonly hash: string;
}

const VERSION = await readVersion();

/**
 * Builds a site and keeps what it learned, so that the next build after an
 * edit parses only the files that changed, renders only the pages whose
 * inputs changed and writes only the files whose bytes changed. A page's
 * inputs are summed up in its signature (see `signature.ts`); the output of
 * any sequence of rebuilds is byte-identical to a fresh build.
 */
export class Builder {
  readonly #options: BuildOptions;
  #config: Config | null = null;
  #configError: readonly BroadsheetError[] = [];
  #siteHash = '';
  #converters = new Map<string, TextConverter>();
  #templates: Templates | null = null;
  #root: string | null = null;
  #sources = new Map<string, SourceRecord>();
  #outputs = new Map<string, OutputRecord>();
  #assets = new Map<string, string>();
  #hasOutput = false;

  constructor(options: BuildOptions) {
    this.#options = options;
  }

  /** Builds everything that `changes` may affect; the first call builds everything. */
  async build(changes: ChangeSet = {}): Promise<BuildReport> {
    const started = performance.now();
    const first = this.#config === null && this.#configError.length === 0;
    if (first || changes.config) await this.#loadConfig();
    const config = this.#config;
    if (!config) return this.#failure(started, this.#configError);
    if (first || changes.config || changes.templates || !this.#templates) await this.#loadTemplates(config);
    const templates = this.#templates;
    if (!templates) throw new Error('Internal error: templates were just loaded');
    const contentErrors = await this.#refreshSources(config, first || changes.config ? null : (changes.content ?? []));
    const errors = [...contentErrors, ...templates.errors, ...[...this.#sources.values()].flatMap((record) => record.errors)];
    if (errors.length > 0) return this.#failure(started, errors);
    const articles = [...this.#sources.values()].flatMap((record) => record.articles);
    let archive: Archive;
    try {
      archive = toArchive(articles, config);
    } catch (error) {
      return this.#failure(started, toBroadsheetErrors(error));
    }
    return this.#renderAndWrite(started, archive, config, templates);
  }

  async #loadConfig(): Promise<void> {
    try {
      this.#config = await loadConfig(this.#options.configFile);
      this.#configError = [];
      const text = await readFile(this.#options.configFile, 'utf8').catch(() => '');
      this.#siteHash = hash(`${VERSION}\n${text}`);
      this.#converters = new Map(
        this.#config.languages.flatMap((language) => (language.derive ? [[language.code, createConverter(language.derive)] as const] : [])),
      );
    } catch (error) {
      this.#config = null;
      this.#configError = toBroadsheetErrors(error);
    }
    // Everything depends on the configuration: start over.
    this.#templates = null;
    this.#sources.clear();
  }

  async #loadTemplates(config: Config): Promise<void> {
    const templatesDir = this.#options.templatesDir;
    const errors: BroadsheetError[] = [];
    let catalogues = new Map<string, Catalogue>();
    try {
      catalogues = await loadCatalogues(path.resolve(templatesDir), config, this.#converters);
    } catch (error) {
      errors.push(...toBroadsheetErrors(error));
    }
    const renderer = createTemplateRenderer(templatesDir);
    errors.push(...(await compileAllTemplates(renderer, templatesDir).catch((error: unknown) => toBroadsheetErrors(error))));
    if (errors.length === 0) errors.push(...(await checkCatalogueKeys(templatesDir, catalogues)));
    const catalogueHashes = new Map([...catalogues].map(([code, catalogue]) => [code, hash(JSON.stringify([...catalogue.strings]))]));
    this.#templates = {
      context: { config, catalogues, templates: renderer, stylesheet: '/assets/style.css' },
      set: await readTemplateSet(templatesDir),
      catalogueHashes,
      errors,
    };
  }

  /**
   * Re-reads the content files that changed (all of them when `changed` is
   * null) and forgets the removed ones. The folder is listed every time, so
   * a file added or removed without an event is still noticed.
   */
  async #refreshSources(config: Config, changed: readonly string[] | null): Promise<BroadsheetError[]> {
    let listing: { root: string; relativePaths: string[] };
    try {
      listing = await listContent(this.#options.contentDir);
    } catch (error) {
      return [...toBroadsheetErrors(error)];
    }
    this.#root = listing.root;
    const present = new Set(listing.relativePaths);
    for (const known of [...this.#sources.keys()]) if (!present.has(known)) this.#sources.delete(known);
    const changedRelative = new Set(
      (changed ?? []).map((file) => path.relative(listing.root, path.resolve(file)).split(path.sep).join('/')),
    );
    for (const relativePath of listing.relativePaths) {
      if (changed !== null && this.#sources.has(relativePath) && !changedRelative.has(relativePath)) continue;
      this.#sources.set(relativePath, await this.#structure(listing.root, relativePath, config));
    }
    return [];
  }

  async #structure(root: string, relativePath: string, config: Config): Promise<SourceRecord> {
    try {
      const file = await readSource(root, relativePath, config);
      return { file, articles: structureFile(file, config, this.#converters), errors: [] };
    } catch (error) {
      return { file: null, articles: [], errors: toBroadsheetErrors(error) };
    }
  }

  async #renderAndWrite(started: number, archive: Archive, config: Config, templates: Templates): Promise<BuildReport> {
    const plans = planPages(archive, config);
    const outputs = new Map<string, OutputRecord>();
    const changedFiles: OutputFile[] = [];
    const rendered: string[] = [];
    const errors: BroadsheetError[] = [];
    for (const plan of plans) {
      const signature = this.#signature(plan, templates);
      const previous = this.#outputs.get(plan.url);
      if (previous && previous.signature === signature && this.#hasOutput) {
        outputs.set(plan.url, previous);
        continue;
      }
      try {
        const file = renderPage(plan, templates.context);
        const contentHash = hash(file.contents);
        rendered.push(plan.url);
        outputs.set(plan.url, { signature, hash: contentHash });
        if (!this.#hasOutput || previous?.hash !== contentHash) changedFiles.push(file);
      } catch (error) {
        errors.push(...toBroadsheetErrors(error));
      }
    }
    if (errors.length > 0) return this.#failure(started, errors);
    const assets = await loadAssets(this.#options.templatesDir);
    const assetHashes = new Map(assets.map((asset) => [asset.path, hash(asset.contents)]));
    const changedAssets = assets.filter((asset) => !this.#hasOutput || this.#assets.get(asset.path) !== assetHashes.get(asset.path));
    const deleted = [
      ...[...this.#outputs.keys()].filter((url) => !outputs.has(url)).map(outputPathOf),
      ...[...this.#assets.keys()].filter((file) => !assetHashes.has(file)),
    ];
    const written = [...changedFiles, ...changedAssets];
    if (!this.#options.dryRun) {
      if (this.#hasOutput) await updateFiles(this.#options.outDir, written, deleted);
      else await writeSite(this.#options.outDir, written);
      this.#hasOutput = true;
    }
    this.#outputs = outputs;
    this.#assets = assetHashes;
    return {
      pages: plans.length,
      articles: [...this.#sources.values()].filter((record) => record.file).length,
      rendered,
      written: written.map((file) => file.path),
      deleted,
      durationMs: performance.now() - started,
      warnings: alignmentWarnings(archive),
      errors: [],
    };
  }

  #signature(plan: PagePlan, templates: Templates): string {
    return pageSignature(plan, {
      templates: templates.set.closureHash(plan.template),
      catalogue: templates.catalogueHashes.get(plan.language.code) ?? '',
      site: this.#siteHash,
    });
  }

  #failure(started: number, errors: readonly BroadsheetError[]): BuildReport {
    return { pages: 0, articles: 0, rendered: [], written: [], deleted: [], durationMs: performance.now() - started, warnings: [], errors };
  }
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

/** Hand translations whose structure differs from their source. */
function alignmentWarnings(archive: Archive): BroadsheetError[] {
  return [...archive.groups.values()].flatMap((group) =>
    [...group.editions.values()]
      .filter((edition) => edition !== group.source && !edition.derived)
      .flatMap((edition) => checkAlignment(group.source.article, edition.article)),
  );
}

function outputPathOf(url: string): string {
  return url.endsWith('/') ? `${url.slice(1)}index.html` : url.slice(1);
}

function hash(contents: string | Uint8Array): string {
  return createHash('sha1').update(contents).digest('hex');
}

async function readVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
