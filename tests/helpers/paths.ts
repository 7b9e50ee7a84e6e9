import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The shared seed report the archive starts from. */
export const seedFile = path.resolve(root, '../shared/seeds/000_27020f8cdf263a8a.txt');
/** The synthetic corpus generator of the shared benchmark. */
export const genCorpus = path.resolve(root, '../shared/bench/gen-corpus.mjs');
export const fixtures = path.join(root, 'tests/fixtures');
export const cliBin = path.join(root, 'bin/broadsheet.js');
