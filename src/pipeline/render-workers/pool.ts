import { Piscina } from 'piscina';
import type { ArchiveEntry } from '../../model/archive.js';
import type { RenderedArticle } from '../../model/article.js';
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
 * Worker threads that render pages, each with its own Nunjucks environment
 * over the same templates and catalogues, so that the pages of a large
 * build render on every core. A page renders to the same bytes in any
 * thread: its plan and the configuration travel together, and the
 * templates, catalogues and stylesheet are the build's own. A pool may
 * serve several builds (watch mode): each task names the templates it
 * renders with, and a thread that has others makes a new environment.
 */
export class RenderPool {
  readonly #pool: Piscina;
  /** The templates of the last task, and their number: a thread compares numbers, not the objects it never sees. */
  #templates: Templates | null = null;
  #generation = 0;

  constructor(threads: number) {
    this.#pool = new Piscina({ filename: workerFile('./worker.js', import.meta.url), minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: TASKS_PER_THREAD });
  }

  /** The batch's pages, in its order, each with its content hash in the output now; `write` as in {@link RenderTask}. */
  async render(templates: Templates, pages: readonly { readonly plan: PagePlan; readonly previousHash: string | undefined }[], write: RenderTask['write']): Promise<RenderedPage[]> {
    if (templates !== this.#templates) {
      this.#templates = templates;
      this.#generation++;
    }
    const articles = new Map<RenderedArticle, RenderedArticle>();
    const task: RenderTask = {
      templates: { generation: this.#generation, layers: templates.layers, catalogues: templates.context.catalogues, stylesheet: templates.context.stylesheet },
      config: templates.context.config,
      plans: pages.map((page) => sendable(page.plan, articles)),
      previous: pages.map((page) => page.previousHash),
      write,
    };
    return (await this.#pool.run(task)) as RenderedPage[];
  }

  async destroy(): Promise<void> {
    await this.#pool.destroy();
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
