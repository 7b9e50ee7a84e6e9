import { workerData } from 'node:worker_threads';
import type { Config } from '../config/load-config.js';
import { toBroadsheetErrors, toErrorRecord, type ErrorRecord } from '../diagnostics/error.js';
import type { RenderedArticle, SourceFile } from '../types.js';
import { Converters } from '../i18n/derive.js';
import { structureFile } from './structure-file.js';

/** What the structure pool's workers answer for one file. */
export type StructureResult = { readonly articles: RenderedArticle[] } | { readonly errors: ErrorRecord[] };

const config = (workerData as { config: Config }).config;
const converters = new Converters(config.languages);

/** Piscina's task function: one content file, structured in this worker thread. */
export default function structureInWorker(file: SourceFile): StructureResult {
  try {
    return { articles: structureFile(file, config, converters) };
  } catch (error) {
    return { errors: toBroadsheetErrors(error).map(toErrorRecord) };
  }
}
