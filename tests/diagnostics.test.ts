import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../src/diagnostics/codes.js';
import { BroadsheetError } from '../src/diagnostics/error.js';
import { formatError } from '../src/diagnostics/format.js';
import { root } from './helpers/paths.js';

describe('error codes', () => {
  const reference = readFileSync(path.join(root, 'docs/errors.md'), 'utf8');

  it.each(Object.entries(errorCodes))('should document %s in docs/errors.md', (code, { title }) => {
    expect(reference).toContain(`### ${code} — ${title}`);
  });

  it('should document no code that does not exist', () => {
    const documented = [...reference.matchAll(/^### (BS\d{3})/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(Object.keys(errorCodes).sort());
  });
});

describe('formatError', () => {
  it('should print place, code, message, a code frame and the hint', () => {
    const error = new BroadsheetError('BS205', '"2019-02-30" is not a date that exists', { file: 'content/a.md', line: 3, column: 7 });
    const text = formatError(error, { source: '---\ntitle: 甲\ndate: 2019-02-30\n---\n' });
    expect(text).toBe(
      [
        'content/a.md:3:7  BS205  "2019-02-30" is not a date that exists',
        '    1 | ---',
        '    2 | title: 甲',
        '  > 3 | date: 2019-02-30',
        '      |       ^',
        `  hint: ${errorCodes.BS205.hint}`,
      ].join('\n'),
    );
  });

  it('should print just the file when there is no line', () => {
    expect(formatError(new BroadsheetError('BS102', 'the file is empty', { file: 'a.txt' })).split('\n')[0]).toBe('a.txt  BS102  the file is empty');
  });
});
