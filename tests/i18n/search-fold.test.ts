import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { Converters } from '../../src/i18n/derive.js';
import { foldDirection, searchFoldFiles } from '../../src/i18n/search-fold.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root } from '../helpers/paths.js';

// The tables that let a reader search each Chinese edition in either script (see src/i18n/search-fold.ts).

describe('the search pages\' fold tables', () => {
  const config = parseConfig(readFileSync(path.join(root, 'broadsheet.yaml'), 'utf8'), 'broadsheet.yaml');
  const files = new Map(searchFoldFiles(config, new Converters(config.languages)).map((file) => [file.path, JSON.parse(String(file.contents)) as { from: string; to: string }]));
  const fold = (file: string, text: string): string => {
    const table = files.get(file);
    if (!table) throw new Error(`no table ${file}`);
    const map = new Map([...table.from].map((character, index) => [character, [...table.to][index]]));
    return [...text].map((character) => map.get(character) ?? character).join('');
  };

  it('should fold into each Chinese edition\'s own script, and leave other editions alone', () => {
    expect([...files.keys()].sort()).toEqual(['zh-hans/search/fold.json', 'zh-hant/search/fold.json']);
    expect(config.languages.map((language) => foldDirection(language, config))).toEqual(['to-source', null, 'to-derived']);
    expect(fold('zh-hant/search/fold.json', '梅州党员发挥作用')).toBe('梅州黨員發揮作用');
    expect(fold('zh-hans/search/fold.json', '梅州黨員發揮作用')).toBe('梅州党员发挥作用');
    // A query already in the index's script is searched as typed.
    expect(fold('zh-hant/search/fold.json', '黨員')).toBe('黨員');
    expect(fold('zh-hans/search/fold.json', '党员')).toBe('党员');
  });

  it('should pair characters one for one, in the same order on every build', () => {
    for (const table of files.values()) {
      expect([...table.from].length).toBe([...table.to].length);
      expect([...table.from].length).toBeGreaterThan(2000);
    }
    const again = searchFoldFiles(config, new Converters(config.languages));
    expect(again.map((file) => file.contents)).toEqual([...files.values()].map((table) => `${JSON.stringify(table)}\n`));
  });
});
