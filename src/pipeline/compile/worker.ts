import { workerData } from 'node:worker_threads';
import type { Config } from '../../model/config.js';
import { toBroadsheetErrors, toErrorRecord, type ErrorRecord } from '../../diagnostics/error.js';
import type { RenderedArticle, SourceFile } from '../../model/article.js';
import { Converters } from '../../i18n/derive.js';
import { compileFile } from './compile-file.js';
import { scriptTableStore } from '../script-tables.js';

/** One file for a worker, and where it says that it has started on it (see pool.ts). */
export interface StructureTask {
  readonly file: SourceFile;
  /** One Int32 the worker sets to 1 when its work on the file begins. */
  readonly started: SharedArrayBuffer;
}

/** What the structure pool's workers answer for one file. */
export type StructureResult = { readonly articles: RenderedArticle[] } | { readonly errors: ErrorRecord[] };

const { config, cacheDir } = workerData as { config: Config; cacheDir: string | null };
const converters = new Converters(config.languages, cacheDir ? scriptTableStore(cacheDir) : undefined);
// Built while the thread starts, before any file is waiting: a derived edition's converter takes about
// 150 ms, and every archive with a derived edition has files to derive.
for (const language of config.languages) if (language.derive) converters.get(language.code);

/** Piscina's task function: one content file, structured in this worker thread. */
export default function structureInWorker({ file, started }: StructureTask): StructureResult {
  // A converter is built the first time a thread needs one (about 150 ms): that is not the file's own time.
  for (const language of config.languages) if (language.derive?.from === file.lang) converters.get(language.code);
  Atomics.store(new Int32Array(started), 0, 1);
  try {
    return { articles: compileFile(file, config, converters) };
  } catch (error) {
    return { errors: toBroadsheetErrors(error).map(toErrorRecord) };
  }
}
