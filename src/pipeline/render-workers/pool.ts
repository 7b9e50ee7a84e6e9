import { Piscina } from 'piscina';
import type { ArchiveEntry } from '../../model/archive.js';
import type { RenderedArticle } from '../../model/article.js';
import type { Config } from '../../model/config.js';
import type { PagePlan } from '../../model/page.js';
import type { Templates } from '../state.js';
import { workerFile } from '../worker-file.js';
import type { RenderedPage, RenderTask } from './worker.js';

/**
 * Batches a thread is sent at a time: the next one is already in its queue
 * when it finishes one, so it does not sit idle while its answer reaches
 * the main thread and the next batch is copied to it.
 */
export const TASKS_PER_THREAD = 2;

/**
 * The most plans a thread keeps between builds (see `keepPlans`): a bound on
 * the memory keeping them costs a large archive (docs/performance.md).
 * Past it, a thread is sent the other plans whole each time.
 */
const KEPT_PLANS_PER_THREAD = 10_000;

/** A page for a thread to render: its plan, and the content hash of its file in the output now. */
export interface PageForThread {
  readonly plan: PagePlan;
  readonly previousHash: string | undefined;
}

/** Where a batch's pages go and what is worked out of them, as in {@link RenderTask}. */
export type PageOutput = Pick<RenderTask, 'write' | 'indexedText'>;

/** One render thread, and what the main thread knows of the plans it keeps. */
interface Lane {
  readonly pool: Piscina;
  /** How many plans it keeps. */
  kept: number;
  /** URLs it is to drop with its next task: their plans moved to another thread. */
  readonly toForget: string[];
  /** True when it is to drop every plan it keeps with its next task. */
  forgetAll: boolean;
}

/**
 * Worker threads that render pages, each with its own Nunjucks environment
 * over the same templates and catalogues, so that the pages of a large
 * build render on every core. A page renders to the same bytes in any
 * thread: its plan and the configuration travel together, and the
 * templates, catalogues and stylesheet are the build's own. A pool may
 * serve several builds (watch mode): each task names the templates it
 * renders with, and a thread that has others makes a new environment.
 *
 * With `keepPlans` (watch mode), each thread keeps the plans it rendered,
 * and is sent only the URL of a plan it keeps when the plan is the same
 * object again: after a template edit every article page renders again
 * from an unchanged plan, and copying thousands of plans to the threads
 * was much of the edit's work (docs/performance.md). So that a batch goes
 * to the thread that keeps its plans, each thread has a queue of its own:
 * one Piscina each.
 */
export class RenderPool {
  readonly #lanes: readonly Lane[];
  readonly #keepPlans: boolean;
  /** The templates of the last task, and their number: a thread compares numbers, not the objects it never sees. */
  #templates: Templates | null = null;
  #generation = 0;
  /** The configuration the kept plans were made with: when it changes, every plan is new, and the threads drop theirs. */
  #config: Config | null = null;
  /** Which thread keeps the plan of each URL, and which plan object that is. */
  readonly #kept = new Map<string, { readonly thread: number; readonly plan: PagePlan }>();

  constructor(threads: number, options: { readonly keepPlans?: boolean } = {}) {
    const filename = workerFile('./worker.js', import.meta.url);
    this.#lanes = Array.from({ length: Math.max(1, threads) }, () => ({
      pool: new Piscina({ filename, minThreads: 1, maxThreads: 1, concurrentTasksPerWorker: TASKS_PER_THREAD }),
      kept: 0,
      toForget: [],
      forgetAll: false,
    }));
    this.#keepPlans = options.keepPlans === true;
  }

  get threads(): number {
    return this.#lanes.length;
  }

  /** The thread that keeps this very plan, or null. */
  holderOf(plan: PagePlan): number | null {
    const kept = this.#kept.get(plan.url);
    return kept?.plan === plan ? kept.thread : null;
  }

  /**
   * Renders a batch in thread `thread`: its pages, in its order; `output`
   * says where they go and what is digested, as in {@link RenderTask}.
   */
  async render(thread: number, templates: Templates, pages: readonly PageForThread[], output: PageOutput): Promise<RenderedPage[]> {
    const results = await this.#run(thread, templates, pages, output, false);
    const missing = results.flatMap((result, index) => ('missing' in result ? [index] : []));
    if (missing.length === 0) return results;
    // A thread that lost plans it was thought to keep (it was replaced after a failure) is sent them whole.
    const again = await this.#run(thread, templates, missing.map((index) => pages[index] as PageForThread), output, true);
    missing.forEach((index, position) => (results[index] = again[position] as RenderedPage));
    return results;
  }

  /** Has the threads drop, with their next task, the plans they keep for these URLs: pages the site no longer has. */
  forget(urls: readonly string[]): void {
    for (const url of urls) this.#drop(url);
  }

  async destroy(): Promise<void> {
    await Promise.all(this.#lanes.map((lane) => lane.pool.destroy()));
  }

  async #run(thread: number, templates: Templates, pages: readonly PageForThread[], { write, indexedText }: PageOutput, whole: boolean): Promise<RenderedPage[]> {
    const lane = this.#lanes[thread];
    if (!lane) throw new Error(`Internal error: no render thread ${thread}`);
    if (templates !== this.#templates) {
      this.#templates = templates;
      this.#generation++;
    }
    const config = templates.context.config;
    if (config !== this.#config) this.#forgetAll(config);
    const articles = new Map<RenderedArticle, RenderedArticle>();
    const keep: boolean[] = [];
    const plans = pages.map(({ plan }): PagePlan | string => {
      if (!whole && this.holderOf(plan) === thread) {
        keep.push(false);
        return plan.url;
      }
      keep.push(this.#keepIn(thread, lane, plan));
      return sendable(plan, articles);
    });
    const task: RenderTask = {
      templates: { generation: this.#generation, layers: templates.layers, hashes: templates.set.hashes, catalogues: templates.context.catalogues, catalogueHashes: templates.catalogueHashes, stylesheet: templates.context.stylesheet },
      config,
      plans,
      keep,
      forget: lane.toForget.splice(0),
      forgetAll: lane.forgetAll,
      previous: pages.map((page) => page.previousHash),
      write,
      indexedText,
    };
    lane.forgetAll = false;
    try {
      return (await lane.pool.run(task)) as RenderedPage[];
    } catch (error) {
      // What the thread keeps is no longer known (it may have been replaced): every thread starts over.
      this.#forgetAll(config);
      throw error;
    }
  }

  /** Notes that `thread` is to keep `plan`; false when it is not to (plans are not kept, or it keeps its share). */
  #keepIn(thread: number, lane: Lane, plan: PagePlan): boolean {
    if (!this.#keepPlans) return false;
    const before = this.#kept.get(plan.url);
    if (before?.thread === thread) {
      this.#kept.set(plan.url, { thread, plan });
      return true;
    }
    this.#drop(plan.url);
    if (lane.kept >= KEPT_PLANS_PER_THREAD) return false;
    lane.kept++;
    this.#kept.set(plan.url, { thread, plan });
    return true;
  }

  /** Has the thread that keeps the plan of `url` drop it with its next task. */
  #drop(url: string): void {
    const kept = this.#kept.get(url);
    const lane = kept && this.#lanes[kept.thread];
    if (!lane) return;
    this.#kept.delete(url);
    lane.kept--;
    lane.toForget.push(url);
  }

  #forgetAll(config: Config): void {
    this.#config = config;
    this.#kept.clear();
    for (const lane of this.#lanes) {
      lane.kept = 0;
      lane.toForget.splice(0);
      lane.forgetAll = true;
    }
  }
}

/**
 * A plan as it can be sent to a thread: plain data. Watch mode keeps
 * article bodies in the cache, read when a template asks for a block's
 * content (cache/bodies.ts); those blocks are read here, since a copy for
 * another thread keeps data, not getters. Other plans are sent as they are.
 */
function sendable(plan: PagePlan, articles: Map<RenderedArticle, RenderedArticle>): PagePlan {
  const entry = (value: ArchiveEntry): ArchiveEntry => (isPlain(value.article) ? value : { ...value, article: plainArticle(value.article, articles) });
  if (plan.kind === 'article') {
    const data = plan.data;
    return { ...plan, data: { ...data, entry: entry(data.entry), article: plainArticle(data.article, articles) } };
  }
  if (plan.kind === 'parallel') {
    const data = plan.data;
    return { ...plan, data: { ...data, entry: entry(data.entry), article: plainArticle(data.article, articles), partner: entry(data.partner) } };
  }
  return plan;
}

/** True when an article's blocks are plain objects, its HTML in them. */
function isPlain(article: RenderedArticle): boolean {
  const block = article.lead[0] ?? article.sections[0]?.blocks[0];
  return !block || Object.getPrototypeOf(block) === Object.prototype;
}

function plainArticle(article: RenderedArticle, done: Map<RenderedArticle, RenderedArticle>): RenderedArticle {
  if (isPlain(article)) return article;
  let plain = done.get(article);
  if (!plain) {
    const block = ({ id, position, content }: RenderedArticle['lead'][number]): RenderedArticle['lead'][number] => ({ id, position, content });
    plain = { ...article, lead: article.lead.map(block), sections: article.sections.map((section) => ({ ...section, blocks: section.blocks.map(block) })) };
    done.set(article, plain);
  }
  return plain;
}
