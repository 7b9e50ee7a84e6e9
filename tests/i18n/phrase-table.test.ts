import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import * as OpenCC from 'opencc-js/cn2t';
import { configs } from 'opencc-js/preset/cn2t';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { compileFile } from '../../src/pipeline/compile/compile-file.js';
import { Converters, type ConverterLookup } from '../../src/i18n/derive.js';
import { createScriptConverter, PhraseTable } from '../../src/i18n/phrase-table.js';
import { root, seedFile } from '../helpers/paths.js';
import { sourceFile } from '../helpers/source.js';

// broadsheet converts with its own compact tables over opencc-js's dictionaries
// (src/i18n/phrase-table.ts); these tests hold it to opencc-js's own output.

const VARIANTS = ['tw', 'twp', 'hk', 't'] as const;
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** Phrases of a dictionary as opencc-js ships it ("phrase replacement|…"). */
function phrasesOf(dictionary: unknown, count: number): string[] {
  if (typeof dictionary !== 'string') return [];
  const lines = dictionary.split('|');
  const step = Math.max(1, Math.floor(lines.length / count));
  return lines.filter((_, index) => index % step === 0).map((line) => line.split(' ')[0] ?? '');
}

const [phrases, characters] = ((): [string[], string[]] => {
  const group = configs.s2tw?.conversionChain[0] as unknown as readonly unknown[];
  return [phrasesOf(group[0], 3000), phrasesOf(group[group.length - 1], 1000)];
})();

/**
 * Text made of what can trip a converter up: whole and cut dictionary
 * phrases, convertible characters, ideographic description sequences
 * (U+2FF0–U+2FFF, which combine two or three characters), characters beyond
 * the BMP and in U+E000–U+FFFF (the two orders of UTF-16 and code points
 * differ there), lone surrogates, quotes and Latin text.
 */
const piece = fc.oneof(
  fc.constantFrom(...phrases),
  fc.constantFrom(...phrases).map((phrase) => phrase.slice(0, Math.max(1, phrase.length - 1))),
  fc.constantFrom(...characters),
  fc.constantFrom('⿰', '⿱', '⿲', '⿳', '⿴', '⿻', '⿿'),
  fc.constantFrom('𠀀', '𪚥', '𠮷', '\uE000', '\uFF01', '\uFFFD', '\uD840', '\uDC00'),
  fc.constantFrom('“', '”', '，', '。', ' ', '\n', 'Party', '2019'),
);
const text = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));

describe('createScriptConverter', () => {
  it.each(VARIANTS)('should give exactly what opencc-js gives for the seed report and the shipped content (%s)', async (variant) => {
    const theirs = OpenCC.Converter({ from: 'cn', to: variant });
    const ours = createScriptConverter(variant);
    const texts = await Promise.all([seedFile, path.join(root, 'content/2019/meizhou-last-mile.md')].map((file) => readFile(file, 'utf8')));
    for (const input of texts) expect(ours(input)).toBe(theirs(input));
  });

  it.each(VARIANTS)('should give exactly what opencc-js gives for generated text (%s)', (variant) => {
    const theirs = OpenCC.Converter({ from: 'cn', to: variant });
    const ours = createScriptConverter(variant);
    fc.assert(
      fc.property(text, (input) => ours(input) === theirs(input)),
      { numRuns: RUNS },
    );
  });

  it('should convert phrases as phrases, not character by character', () => {
    const convert = createScriptConverter('tw');
    // 头发 → 頭髮 (hair) but 发展 → 發展 (development): the phrase decides the character.
    expect(convert('头发发展')).toBe('頭髮發展');
    expect(convert('党员组织学习')).toBe('黨員組織學習');
  });

  it('should refuse a variant opencc-js has no configuration for', () => {
    expect(() => createScriptConverter('xx')).toThrow(/no Simplified → xx configuration/);
  });
});

describe('PhraseTable', () => {
  it('should prefer the longest phrase, and the first dictionary of a group where two define one', () => {
    const table = new PhraseTable(['ab X|abc Y', [['a', 'Z'], ['abc', 'W']]]);
    expect(table.convert('abcab a')).toBe('YX Z');
    expect(table.segment('xxabcabx')).toEqual(['xx', 'abc', 'ab', 'x']);
  });

  it('should not match a phrase inside an ideographic description sequence', () => {
    const table = new PhraseTable([[['木', '林']]]);
    expect(table.convert('⿰木木 木')).toBe('⿰木木 林');
    // A sequence cut off by the end of the text is no sequence: its characters convert.
    expect(table.convert('⿰木')).toBe('⿰林');
  });

  it('should match phrases beyond the Basic Multilingual Plane and order them by code point', () => {
    const table = new PhraseTable([[['𠮷', 'A'], ['\uFF01', 'B'], ['𠮷𠮷', 'C']]]);
    expect(table.convert('𠮷𠮷𠮷\uFF01')).toBe('CAB');
    // In UTF-16 order 𠮷 (U+20BB7) would sort before U+E000: a search by code point would then miss it.
    const late = ['\uE000', '\uF900', '\uFF01', '\uFFFD', '𠮷'];
    const pairs = (prefix: string): [string, string][] => late.map((key, index) => [`${prefix}${key}`, `${prefix}${index}`]);
    expect(new PhraseTable([pairs('')]).convert('𠮷\uE000\uFFFD')).toBe('403');
    expect(new PhraseTable([pairs('x')]).convert('x𠮷x\uE000')).toBe('x4x0');
  });
});

describe('Converters', () => {
  const config = parseConfig(
    'languages: [{code: zh-Hans, path: zh-hans}, {code: en, path: en}, {code: zh-Hant, path: zh-hant, derive: {from: zh-Hans, variant: tw}}]',
    'broadsheet.yaml',
  );

  it('should build each derived edition’s converter once, and none for other languages', () => {
    const converters = new Converters(config.languages);
    const convert = converters.get('zh-Hant');
    expect(convert?.('学习')).toBe('學習');
    expect(converters.get('zh-Hant')).toBe(convert);
    expect(converters.get('en')).toBeUndefined();
    expect(converters.get('zh-Hans')).toBeUndefined();
  });

  it('should not ask for a converter when structuring a file no edition is derived from', () => {
    const asked: string[] = [];
    const lookup: ConverterLookup = {
      get(code) {
        asked.push(code);
        return undefined;
      },
    };
    const english = sourceFile({ path: 'a.en.md', relativePath: 'a.en.md', key: 'a', lang: 'en', text: '---\ntitle: A report\n---\n\nText.\n' });
    expect(compileFile(english, config, lookup)).toHaveLength(1);
    expect(asked).toEqual([]);
    const chinese = sourceFile({ ...english, path: 'a.md', relativePath: 'a.md', lang: 'zh-Hans', text: '---\ntitle: 报道\n---\n\n正文。\n' });
    compileFile(chinese, config, lookup);
    expect(asked).toEqual(['zh-Hant']);
  });
});
