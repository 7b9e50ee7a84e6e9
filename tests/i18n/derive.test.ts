import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { toString } from 'mdast-util-to-string';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Language } from '../../src/model/config.js';
import { createConverter, deriveArticle } from '../../src/i18n/derive.js';
import { parseMarkdown } from '../../src/parse/markdown.js';
import { toArticle } from '../../src/structure/article.js';
import type { Article } from '../../src/model/article.js';
import { root } from '../helpers/paths.js';
import { sourceFile } from '../helpers/source.js';

describe('createConverter', () => {
  const settings = { variant: 'tw' as const, cornerQuotes: true, overrides: { 两百多年历史: '兩百多年歷史' }, from: 'zh-Hans' };

  it('should convert characters, then apply overrides and corner quotes', () => {
    const convert = createConverter(settings);
    expect(convert('党员组织学习')).toBe('黨員組織學習');
    expect(convert('围龙屋有两百多年历史')).toBe('圍龍屋有兩百多年歷史');
    expect(convert('“最后一公里”和‘神经末梢’')).toBe('「最後一公里」和『神經末梢』');
  });

  it('should keep curly quotes when corner quotes are off, and leave Latin text alone', () => {
    const convert = createConverter({ ...settings, cornerQuotes: false });
    expect(convert('“学习” Party members')).toBe('“學習” Party members');
  });
});

describe('deriveArticle', () => {
  const settings = { variant: 'tw' as const, cornerQuotes: true, overrides: { 两百多年历史: '兩百多年歷史' }, from: 'zh-Hans' };

  async function seedArticle(frontMatterExtra = ''): Promise<{ article: Article; language: Language }> {
    const config = await loadConfig(path.join(root, 'broadsheet.yaml'));
    const relativePath = '2019/meizhou-last-mile.md';
    const original = await readFile(path.join(root, 'content', relativePath), 'utf8');
    const text = original.replace(/^---\n/, `---\n${frontMatterExtra}`);
    const file = sourceFile({ path: relativePath, relativePath, key: '2019/meizhou-last-mile', lang: 'zh-Hans', text });
    const language = config.languages.find((candidate) => candidate.code === 'zh-Hant');
    if (!language) throw new Error('the shipped configuration has no zh-Hant edition');
    return { article: toArticle(file, parseMarkdown(text), config).article, language };
  }

  it('should convert every text of the seed report, the plain text of each block read off its converted content', async () => {
    const { article, language } = await seedArticle();
    const convert = createConverter(settings);
    const derived = deriveArticle(article, language, convert);
    expect(derived.meta.title).toBe(convert(article.meta.title));
    expect(derived.sections.map((section) => section.heading)).toEqual(article.sections.map((section) => convert(section.heading)));
    const blocks = [...derived.lead, ...derived.sections.flatMap((section) => section.blocks)];
    const sourceBlocks = [...article.lead, ...article.sections.flatMap((section) => section.blocks)];
    expect(blocks).toHaveLength(sourceBlocks.length);
    for (const [index, block] of blocks.entries()) {
      expect(block.text).toBe(toString(block.content));
      expect(block.text).toBe(convert(sourceBlocks[index]?.text ?? ''));
    }
    expect(blocks.map((block) => block.text).join('')).toContain('黨員');
  });

  it('should convert a text that holds U+0000 on its own, so that no other text shifts', async () => {
    // Front matter refuses control characters (BS203); the converter must still not be thrown by one.
    const seeded = await seedArticle();
    const language = seeded.language;
    const article = { ...seeded.article, meta: { ...seeded.article.meta, dateline: '梅州\u0000电' } };
    const convert = createConverter(settings);
    const derived = deriveArticle(article, language, convert);
    expect(derived.meta.dateline).toBe('梅州\u0000電');
    expect(derived.meta.title).toBe(convert(article.meta.title));
    expect(derived.sections.at(-1)?.heading).toBe(convert(article.sections.at(-1)?.heading ?? ''));
  });
});
