import { readFileSync } from 'node:fs';

/** broadsheet's version; part of every cache key, so an upgrade never reuses old results. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
