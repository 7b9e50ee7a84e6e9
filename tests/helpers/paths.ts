import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtures = path.join(root, 'tests/fixtures');
/** The real report the archive starts from: the Meizhou theme-education report, as the newspaper's site gave it. */
export const seedFile = path.join(fixtures, 'seed/000_27020f8cdf263a8a.txt');
export const cliBin = path.join(root, 'bin/broadsheet.js');
