import { toBroadsheetErrors, toErrorRecord, type ErrorRecord } from '../../diagnostics/error.js';
import type { TemplateLayers } from '../../load/template-layers.js';
import type { Catalogue } from '../../model/catalogue.js';
import type { Config } from '../../model/config.js';
import { isSiteFile, type OutputFile, type PagePlan } from '../../model/page.js';
import { renderPage, renderTemplatePage, templateData, type RenderContext, type TemplateData } from '../../render/pages.js';
import { createTemplateRenderer, type TemplateRenderer } from '../../render/templates.js';
import { pageDigests } from './digests.js';
import { utf8Scratch } from '../../text/utf8.js';
import { writePage, type PageWrites } from '../../write/output-dir.js';

/** Pages for a worker, with the templates and configuration their plans were made with. */
export interface RenderTask {
  readonly templates: TaskTemplates;
  readonly config: Config;
  /** Each page's plan, or the URL of a plan this thread keeps from an earlier task (see RenderPool). */
  readonly plans: readonly (PagePlan | string)[];
  /** For each plan sent whole: whether this thread is to keep it, in place of any it keeps for the URL. */
  readonly keep: readonly boolean[];
  /** URLs whose kept plans this thread is to drop first, or all of them. */
  readonly forget: readonly string[];
  readonly forgetAll: boolean;
  /** The content hash of each page in the output now: a page whose bytes are the same is not written. */
  readonly previous: readonly (string | undefined)[];
  /** Where the worker writes changed pages itself, or null to send them back. */
  readonly write: PageWrites | null;
  /** Whether to digest each article page's indexed text (see pageDigests). */
  readonly indexedText: boolean;
}

/**
 * One page as a worker rendered it: the digests the build records, and its
 * HTML unless the worker wrote it (`written`) or it did not change; or its
 * problems; or `missing`, when it was sent as the URL of a plan this thread
 * does not keep.
 */
export type RenderedPage =
  | { readonly contents: string | null; readonly written: boolean; readonly hash: string; readonly indexed: string | undefined }
  | { readonly errors: readonly ErrorRecord[] }
  | { readonly missing: true };

/**
 * What a task renders with: the templates, the catalogues and the
 * stylesheet's URL, numbered by the pool. They travel with every task (the
 * catalogues are a few kilobytes), since a pool cannot tell which thread
 * takes a task; a thread makes a new environment only when the number changes.
 */
export interface TaskTemplates {
  readonly generation: number;
  readonly layers: TemplateLayers;
  /** The hash of each template's text: a thread compiles again only the templates whose hash changed. */
  readonly hashes: ReadonlyMap<string, string>;
  readonly catalogues: ReadonlyMap<string, Catalogue>;
  /** The digest of each language's catalogue: a kept plan's template data holds while its catalogue's is the same. */
  readonly catalogueHashes: ReadonlyMap<string, string>;
  readonly stylesheet: string;
}

/** What this thread renders with: the templates of one generation, in one Nunjucks environment. */
interface Environment {
  readonly generation: number;
  readonly layers: TemplateLayers;
  readonly hashes: ReadonlyMap<string, string>;
  readonly templates: TemplateRenderer;
  readonly catalogues: ReadonlyMap<string, Catalogue>;
  readonly catalogueHashes: ReadonlyMap<string, string>;
  readonly stylesheet: string;
}

// One Nunjucks environment per thread: each template is compiled once and reused for every page.
let current: Environment | null = null;

/**
 * The environment for a task's templates. The thread's environment is kept
 * while the template folders are the same, and only the templates whose
 * text changed are compiled again: the others keep their compiled code,
 * optimised by the JIT, which a new environment would make it compile again.
 */
function environmentFor(templates: TaskTemplates): Environment {
  const previous = current;
  if (previous?.generation === templates.generation) return previous;
  const reusable = previous !== null && sameFolders(previous.layers, templates.layers);
  const renderer = reusable ? previous.templates : createTemplateRenderer(templates.layers);
  if (reusable) renderer.forget(changedTemplates(previous.hashes, templates.hashes));
  current = { ...templates, templates: renderer };
  return current;
}

function sameFolders(a: TemplateLayers, b: TemplateLayers): boolean {
  return a.folders.length === b.folders.length && a.folders.every((folder, index) => folder === b.folders[index]);
}

/** Names of the templates added, removed or changed between two sets of hashes. */
function changedTemplates(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name));
}

/** A plan this thread keeps between builds (see RenderPool). */
interface KeptPlan {
  readonly plan: PagePlan;
  /** The configuration it came with: its languages are the plan's, object for object, as the renderer expects. */
  readonly config: Config;
  /**
   * What its template was last given, and what that depends on besides the
   * plan: the catalogue's digest and the stylesheet's URL. A template edit
   * changes neither, so the page renders again without working it out again.
   */
  data?: { readonly key: string; readonly value: TemplateData };
}

/** The plans this thread keeps, by URL. */
const kept = new Map<string, KeptPlan>();

/** Piscina's task function: a batch of pages, rendered in this worker thread. */
export default function renderInWorker({ templates, config, plans, keep, forget, forgetAll, previous, write, indexedText }: RenderTask): RenderedPage[] {
  const environment = environmentFor(templates);
  if (forgetAll) kept.clear();
  for (const url of forget) kept.delete(url);
  const contexts = new Map<Config, RenderContext>();
  const contextFor = (planConfig: Config): RenderContext => {
    let context = contexts.get(planConfig);
    if (!context) contexts.set(planConfig, (context = { config: planConfig, catalogues: environment.catalogues, templates: environment.templates, stylesheet: environment.stylesheet }));
    return context;
  };
  return plans.map((sent, index): RenderedPage => {
    const page: KeptPlan | undefined = typeof sent === 'string' ? kept.get(sent) : { plan: sent, config };
    if (!page) return { missing: true };
    const isKept = typeof sent === 'string' || keep[index] === true;
    if (typeof sent !== 'string' && isKept) kept.set(sent.url, page);
    const plan = page.plan;
    try {
      const context = contextFor(page.config);
      const file = isKept ? renderKept(page, context, environment.catalogueHashes) : renderPage(plan, context);
      const contents = file.contents as string;
      // Encoded once, for its digest and its file alike.
      const bytes = utf8Scratch(contents);
      const digests = pageDigests(plan, bytes, indexedText);
      if (digests.hash === previous[index]) return { contents: null, written: false, ...digests };
      if (!write) return { contents, written: false, ...digests };
      // Written here, the page need not be copied back to the main thread, which has the rest of the build to do.
      writePage(write, { path: file.path, contents: bytes });
      return { contents: null, written: true, ...digests };
    } catch (error) {
      return { errors: toBroadsheetErrors(error).map(toErrorRecord) };
    }
  });
}

/**
 * Renders a kept plan's page with the template data worked out for it last
 * time, unless what that depends on besides the plan changed since: the
 * catalogue of its language, or the stylesheet's URL.
 */
function renderKept(page: KeptPlan, context: RenderContext, catalogueHashes: ReadonlyMap<string, string>): OutputFile {
  const plan = page.plan;
  if (isSiteFile(plan)) return renderPage(plan, context);
  const key = `${catalogueHashes.get(plan.language.code) ?? ''} ${context.stylesheet}`;
  if (page.data?.key !== key) page.data = { key, value: templateData(plan, context) };
  return renderTemplatePage(plan, page.data.value, context.templates);
}
