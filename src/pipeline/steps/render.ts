import { availableParallelism } from 'node:os';
import { fromErrorRecord, toBroadsheetErrors, type BroadsheetError } from '../../diagnostics/error.js';
import type { BuildProgress } from '../../model/build.js';
import type { PagePlan } from '../../model/page.js';
import { outputPath, renderPage } from '../../render/pages.js';
import { utf8Scratch } from '../../text/utf8.js';
import type { PageWrites } from '../../write/output-dir.js';
import type { OutputSink } from '../../write/sink.js';
import { pageDigests } from '../render-workers/digests.js';
import { RenderPool, TASKS_PER_THREAD, type PageOutput } from '../render-workers/pool.js';
import type { RenderedPage } from '../render-workers/worker.js';
import { pageSignature, planDigest, samePlan } from '../signature.js';
import type { OutputRecord, OutputState, Templates } from '../state.js';

/** What rendering the candidate pages produced. */
export interface RenderOutcome {
  /** URLs of the pages rendered (their signature changed). */
  readonly rendered: string[];
  /** The new record of each page rendered or re-planned. */
  readonly updates: Map<string, OutputRecord>;
  /** URLs of the article pages whose indexed text changed, for the search index. */
  readonly changedArticles: string[];
  /** With `indexedTextLater`, URLs of the article pages written whose indexed text is yet to be compared. */
  readonly uncheckedArticles: string[];
  /** Paths of the files handed to the sink. */
  readonly written: string[];
  readonly errors: BroadsheetError[];
  signingMs: number;
}

/** How the render step may use threads. */
export interface RenderOptions {
  /** Worker threads to render in; 0 renders every page in this thread. Default: one per core. */
  readonly workers?: number;
  readonly onProgress?: BuildProgress;
  /** Threads the caller keeps between builds (watch mode); without it, threads are started for this call when it has enough pages, and stopped after. */
  readonly pool?: (threads: number) => RenderPool;
  /**
   * Leave the digest of article pages' indexed text to the search step,
   * which works it out from the written files (watch mode, whose index
   * waits for edits to settle): a rebuild after a template edit is spared
   * that work on every article page. Each such page keeps the digest its
   * record had, and is listed in `uncheckedArticles`.
   */
  readonly indexedTextLater?: boolean;
}

/**
 * A page as rendered here or in a worker: the digests the build records,
 * and its bytes unless a worker wrote them (`written`) or they did not
 * change; or its problems.
 */
type Rendered =
  | { readonly contents: string | Uint8Array | null; readonly written: boolean; readonly hash: string; readonly indexed: string | undefined }
  | { readonly errors: readonly BroadsheetError[] };

/** A page whose signature changed: it is rendered, and compared with what the output holds. */
interface PageToRender {
  readonly plan: PagePlan;
  readonly signature: string;
  readonly planDigest: string;
  readonly previous: OutputRecord | undefined;
}

// How long rendering may keep the event loop to itself while others (Pagefind, the render workers) wait for it.
const TURN_MS = 10;
// The kinds of page rendered in worker threads: the many pages of articles. Listings, feeds and sitemaps,
// a few per edition and folder, render in this thread meanwhile.
const WORKER_KINDS: ReadonlySet<PagePlan['kind']> = new Set(['article', 'parallel']);
// Below this many such pages, starting the threads (each loads the templates) costs more than they save.
const POOL_THRESHOLD = 400;
// Pages per message to a worker.
const BATCH = 24;

/**
 * Renders the candidates whose signature changed and hands the sink each
 * page whose bytes changed; the rest are passed by (by identity when their
 * plan object is the one rendered last time). Nothing is rendered twice and
 * nothing unchanged is written. Article pages render in worker threads when
 * there are many; a page's bytes do not depend on where it rendered.
 */
export async function renderPages(
  candidates: readonly PagePlan[],
  templates: Templates,
  siteHash: string,
  output: OutputState | null,
  sink: OutputSink,
  options: RenderOptions = {},
): Promise<RenderOutcome> {
  const outcome: RenderOutcome = { rendered: [], updates: new Map(), changedArticles: [], uncheckedArticles: [], written: [], errors: [], signingMs: 0 };
  const indexedText = options.indexedTextLater !== true;
  const changed = changedPages(candidates, templates, siteHash, output, outcome);
  let done = candidates.length - changed.length;
  const accept = (page: PageToRender, result: Rendered): void => {
    options.onProgress?.('render', ++done, candidates.length);
    try {
      if ('errors' in result) outcome.errors.push(...result.errors);
      else record(outcome, sink, page, result, indexedText);
    } catch (error) {
      outcome.errors.push(...toBroadsheetErrors(error));
    }
  };

  const threads = options.workers ?? availableParallelism();
  const forWorkers = threads > 0 ? changed.filter((page) => WORKER_KINDS.has(page.plan.kind)) : [];
  const pool = forWorkers.length >= POOL_THRESHOLD ? (options.pool?.(threads) ?? new RenderPool(threads)) : null;
  try {
    const write: PageWrites | null = sink.direct ? { dir: sink.direct.dir, atomic: sink.direct.atomic, aside: sink.direct.aside } : null;
    // The workers write the pages whose bytes changed themselves, unannounced: the sink hears of it first.
    if (pool && write) sink.direct?.willWrite?.();
    const inWorkers = pool ? renderInPool(pool, templates, forWorkers, { write, indexedText }, accept, TASKS_PER_THREAD) : Promise.resolve();
    const here = pool ? changed.filter((page) => !WORKER_KINDS.has(page.plan.kind)) : changed;
    let lastTurn = performance.now();
    for (const page of here) {
      accept(page, renderHere(page.plan, templates, indexedText));
      // Rendering is synchronous; the workers' and Pagefind's replies are read only when the event loop turns.
      if ((pool || sink.waiting) && performance.now() - lastTurn > TURN_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastTurn = performance.now();
      }
    }
    await inWorkers;
  } finally {
    if (!options.pool) await pool?.destroy();
  }
  return outcome;
}

/**
 * The candidates whose signature changed, in order; a page whose signature
 * held keeps its record (with the new plan object, when it is a new one).
 */
function changedPages(candidates: readonly PagePlan[], templates: Templates, siteHash: string, output: OutputState | null, outcome: RenderOutcome): PageToRender[] {
  const reusable = output !== null && templates === output.signedWith;
  // After a template edit, the templates the output was signed with: a page whose plan, template chain and
  // catalogue are the same under both keeps its signature without being signed again.
  const before = !reusable && output?.signedWith && output.signedSite === siteHash ? output.signedWith : null;
  const changed: PageToRender[] = [];
  const signStart = performance.now();
  for (const plan of candidates) {
    const previous = output?.pages.get(plan.url);
    if (previous && previous.plan === plan && reusable) continue;
    const unchangedPlan = previous?.plan != null && (previous.plan === plan || samePlan(previous.plan, plan));
    if (unchangedPlan && (reusable || (before && previous.planDigest && sameSigningTemplates(plan, before, templates)))) {
      if (previous.plan !== plan) outcome.updates.set(plan.url, { ...previous, plan });
      continue;
    }
    // After a template edit an unchanged plan keeps its digest: only the templates' part of the signature is new.
    const key = (unchangedPlan && previous.planDigest) || planDigest(plan);
    const signature = signatureOf(key, plan, templates, siteHash);
    if (previous && previous.signature === signature) {
      if (previous.plan !== plan || previous.planDigest !== key) outcome.updates.set(plan.url, { ...previous, plan, planDigest: key });
      continue;
    }
    changed.push({ plan, signature, planDigest: key, previous });
  }
  outcome.signingMs += performance.now() - signStart;
  return changed;
}

/**
 * Renders pages in the pool's threads, `perThread` batches at a time in
 * each, so that few plans are copied ahead. A batch goes to the thread that
 * keeps its plans (watch mode); the others are taken in order by whichever
 * thread is free, so that a full build writes folder after folder; and a
 * thread with nothing left takes the last batch of the thread with most.
 */
async function renderInPool(
  pool: RenderPool,
  templates: Templates,
  pages: readonly PageToRender[],
  output: PageOutput,
  accept: (page: PageToRender, result: Rendered) => void,
  perThread: number,
): Promise<void> {
  const { kept, shared } = queueBatches(pool, pages);
  let nextShared = 0;
  const next = (thread: number): PageToRender[] | undefined => kept[thread]?.shift() ?? shared[nextShared++] ?? steal(kept);
  const feed = async (thread: number): Promise<void> => {
    for (let batch = next(thread); batch; batch = next(thread)) {
      const results = await pool.render(thread, templates, batch.map((page) => ({ plan: page.plan, previousHash: page.previous?.hash })), output);
      results.forEach((result, index) => accept(batch[index] as PageToRender, fromWorker(result)));
    }
  };
  await Promise.all(kept.flatMap((_, thread) => Array.from({ length: perThread }, () => feed(thread))));
}

/** The pages in batches, in order: those whose first page's plan a thread keeps queued for it, the rest shared. */
function queueBatches(pool: RenderPool, pages: readonly PageToRender[]): { kept: PageToRender[][][]; shared: PageToRender[][] } {
  const kept: PageToRender[][][] = Array.from({ length: pool.threads }, () => []);
  const shared: PageToRender[][] = [];
  for (let start = 0; start < pages.length; start += BATCH) {
    const batch = pages.slice(start, start + BATCH);
    const holder = pool.holderOf((batch[0] as PageToRender).plan);
    if (holder === null) shared.push(batch);
    else kept[holder]?.push(batch);
  }
  return { kept, shared };
}

/** The last batch of the longest queue, or undefined when every queue is empty. */
function steal(queues: PageToRender[][][]): PageToRender[] | undefined {
  return queues.reduce((longest, queue) => (queue.length > longest.length ? queue : longest)).pop();
}

function fromWorker(result: RenderedPage): Rendered {
  if ('missing' in result) throw new Error('Internal error: a render thread was sent a plan it does not keep, twice');
  return 'errors' in result ? { errors: result.errors.map(fromErrorRecord) } : result;
}

function renderHere(plan: PagePlan, templates: Templates, indexedText: boolean): Rendered {
  try {
    const contents = renderPage(plan, templates.context).contents;
    return { contents, written: false, ...pageDigests(plan, typeof contents === 'string' ? utf8Scratch(contents) : contents, indexedText) };
  } catch (error) {
    return { errors: [...toBroadsheetErrors(error)] };
  }
}

/**
 * Records a rendered page, and hands it to the sink when its bytes changed.
 * Without `indexedText`, an article page keeps the digest of its indexed
 * text that its record had, and is listed for the search step to compare.
 */
function record(outcome: RenderOutcome, sink: OutputSink, { plan, signature, planDigest, previous }: PageToRender, page: Exclude<Rendered, { errors: unknown }>, indexedText: boolean): void {
  const isArticle = plan.kind === 'article';
  outcome.rendered.push(plan.url);
  outcome.updates.set(plan.url, { plan, signature, planDigest, hash: page.hash, indexed: indexedText || !isArticle ? page.indexed : previous?.indexed });
  if (previous?.hash === page.hash) return;
  const path = outputPath(plan.url);
  outcome.written.push(path);
  if (isArticle && !indexedText) outcome.uncheckedArticles.push(plan.url);
  // Only a change of its indexed text sends a page to the search index (a layout edit changes bytes, not that).
  const reindex = isArticle && indexedText && previous?.indexed !== page.indexed;
  if (reindex) outcome.changedArticles.push(plan.url);
  // After an error nothing more is indexed early: the build will not be written.
  const indexable = reindex && outcome.errors.length === 0 ? plan.url : undefined;
  if (page.written) sink.direct?.written(indexable);
  else if (page.contents !== null) sink.put({ path, contents: page.contents }, indexable);
}

/** True when a page's template chain and catalogue are the same in both sets of templates. */
function sameSigningTemplates(plan: PagePlan, before: Templates, now: Templates): boolean {
  const language = plan.language.code;
  return before.set.closureHash(plan.template) === now.set.closureHash(plan.template) && before.catalogueHashes.get(language) === now.catalogueHashes.get(language);
}

function signatureOf(planKey: string, plan: PagePlan, templates: Templates, siteHash: string): string {
  return pageSignature(planKey, {
    templates: templates.set.closureHash(plan.template),
    catalogue: templates.catalogueHashes.get(plan.language.code) ?? '',
    site: siteHash,
  });
}
