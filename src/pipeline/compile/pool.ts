import { Piscina } from 'piscina';
import { parseBudgetMs } from '../../config/load-config.js';
import type { Config } from '../../model/config.js';
import { BroadsheetError, BroadsheetErrors, fromErrorRecord } from '../../diagnostics/error.js';
import { heaviestConstruct } from '../../parse/limits.js';
import type { RenderedArticle, SourceFile } from '../../model/article.js';
import type { StructureResult, StructureTask } from './worker.js';
import { workerFile } from '../worker-file.js';

// Parsing makes short-lived garbage fast, and V8 let a worker's young generation grow to more than twice
// what the worker keeps alive. Capped, each worker holds much less for a few per cent more time.
const WORKER_YOUNG_GENERATION_MB = 16;
// A file that makes the parser build an enormous tree stops its own worker, not the build.
const WORKER_OLD_GENERATION_MB = 1024;
// How often the watchdog looks at the files in work.
const WATCHDOG_MS = 25;

/** A file in a worker: when the worker began on it, and how to stop it. */
interface InWork {
  readonly started: Int32Array;
  readonly budgetMs: number;
  readonly controller: AbortController;
  since: number | null;
}

/**
 * Worker threads that parse and structure content files, each file under a
 * time budget (see `parseBudgetMs`): a file that runs over has its worker
 * stopped and is reported as a located error, and the other files go on.
 * The budget counts from the moment a worker begins on the file, not from
 * when the file was queued, so a busy build or a slow machine never cuts an
 * ordinary file short. Work in a thread of its own also keeps the main
 * thread free: the dev server answers while a heavy file is parsed.
 */
export class ParsePool {
  readonly #pool: Piscina;
  readonly #config: Config;
  readonly #inWork = new Set<InWork>();
  #watchdog: NodeJS.Timeout | null = null;

  /** Starts one thread at once, and more, up to `threads`, while files wait for one. */
  /** `cacheDir`, when there is a cache, is where the workers find the Traditional converter's tables. */
  constructor(config: Config, threads: number, options: { readonly keepAlive?: boolean; readonly cacheDir?: string | null } = {}) {
    this.#config = config;
    this.#pool = new Piscina({
      filename: workerFile('./worker.js', import.meta.url),
      workerData: { config, cacheDir: options.cacheDir ?? null },
      minThreads: 1,
      maxThreads: Math.max(1, threads),
      // Watch mode keeps its thread warm between edits; a build's pool ends with the build.
      idleTimeout: options.keepAlive ? Number.POSITIVE_INFINITY : undefined,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
    });
  }

  /**
   * The file's articles.
   *
   * @throws {BroadsheetErrors} the file's problems, or BS217 when it ran over its budget or out of memory.
   */
  async structure(file: SourceFile): Promise<RenderedArticle[]> {
    const work: InWork = { started: new Int32Array(new SharedArrayBuffer(4)), budgetMs: parseBudgetMs(this.#config.limits, file.bytes), controller: new AbortController(), since: null };
    this.#watch(work);
    let result: StructureResult;
    try {
      const task: StructureTask = { file, started: work.started.buffer as SharedArrayBuffer };
      result = (await this.#pool.run(task, { signal: work.controller.signal })) as StructureResult;
    } catch (error) {
      if (work.controller.signal.aborted) throw tooSlow(file, work.budgetMs);
      if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') throw tooSlow(file, work.budgetMs, 'memory');
      throw error;
    } finally {
      this.#unwatch(work);
    }
    if ('errors' in result) throw new BroadsheetErrors(result.errors.map(fromErrorRecord));
    return result.articles;
  }

  async destroy(): Promise<void> {
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#watchdog = null;
    await this.#pool.destroy();
  }

  #watch(work: InWork): void {
    this.#inWork.add(work);
    this.#watchdog ??= setInterval(() => this.#lookAtWork(), WATCHDOG_MS).unref();
  }

  #unwatch(work: InWork): void {
    this.#inWork.delete(work);
    if (this.#inWork.size === 0 && this.#watchdog) {
      clearInterval(this.#watchdog);
      this.#watchdog = null;
    }
  }

  /** Starts the clock of each file a worker has begun on, and stops those over their budget. */
  #lookAtWork(): void {
    const now = performance.now();
    for (const work of this.#inWork) {
      if (work.since === null && Atomics.load(work.started, 0) === 1) work.since = now;
      if (work.since !== null && now - work.since > work.budgetMs) work.controller.abort();
    }
  }
}

/** The error of a file whose worker was stopped, placed at the construct it most likely got stuck in. */
function tooSlow(file: SourceFile, budgetMs: number, resource: 'time' | 'memory' = 'time'): BroadsheetError {
  const heavy = heaviestConstruct(file.text);
  const seconds = (budgetMs / 1000).toFixed(1);
  const ran = resource === 'time' ? `took more than ${seconds} s to read` : 'needed more memory than a content file may take';
  return new BroadsheetError('BS217', `${file.path} ${ran}; it stopped in the block of ${heavy.what} that starts here`, {
    file: file.path,
    line: heavy.line,
    column: 1,
    hint: `The Markdown parser slows down sharply on long runs of ${heavy.what} that are not closed or nest inside each other. Escape them with \\ or simplify the block; if the file is an ordinary article, raise limits.parseSeconds in broadsheet.yaml.`,
  });
}

