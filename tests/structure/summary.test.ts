import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/model/config.js';
import { compileFile } from '../../src/pipeline/compile/compile-file.js';
import { Converters } from '../../src/i18n/derive.js';
import type { RenderedArticle } from '../../src/model/article.js';
import { root } from '../helpers/paths.js';
import { sourceFile } from '../helpers/source.js';

/** The shipped report and its translation, through the worker's whole step, with the shipped configuration. */
async function structureSeed(relativePath: string): Promise<{ config: Config; articles: RenderedArticle[]; markdown: string }> {
  const config = await loadConfig(path.join(root, 'broadsheet.yaml'));
  const markdown = await readFile(path.join(root, 'content', relativePath), 'utf8');
  const lang = relativePath.endsWith('.en.md') ? 'en' : 'zh-Hans';
  const file = sourceFile({ path: relativePath, relativePath, key: '2019/meizhou-last-mile', lang, text: markdown });
  return { config, articles: compileFile(file, config, new Converters(config.languages)), markdown };
}

/** The body of a Markdown file without its front matter, headings' markers removed: the seed has no other syntax. */
function bodyLines(markdown: string): string[] {
  const body = markdown.slice(markdown.indexOf('\n---\n', 4) + 5);
  return body.split('\n').map((line) => line.replace(/^#{2,3} /, '')).filter((line) => line.trim() !== '');
}

describe('the text summary of a structured article', () => {
  it('should count every character of the Chinese body, headings included, and no front matter', async () => {
    const { articles, markdown } = await structureSeed('2019/meizhou-last-mile.md');
    const expected = bodyLines(markdown).join('').replace(/\s+/g, '').length;
    expect(expected).toBeGreaterThan(1500);
    expect(articles[0]?.summary.length).toBe(expected);
  });

  it('should count the words of the English translation', async () => {
    const { articles, markdown } = await structureSeed('2019/meizhou-last-mile.en.md');
    const words = bodyLines(markdown).join(' ').match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
    expect(words.length).toBeGreaterThan(500);
    expect(articles[0]?.summary.length).toBe(words.length);
  });

  it('should keep the lead as plain text for descriptions and feeds, cut at 300 characters', async () => {
    const { articles, markdown } = await structureSeed('2019/meizhou-last-mile.md');
    const lead = bodyLines(markdown)[0] ?? '';
    expect(articles[0]?.summary.excerpt).toBe(lead.slice(0, 300));
    expect(articles[0]?.summary.excerpt).not.toMatch(/[<>]/);
  });

  it('should name the gazetteer places the text mentions, in gazetteer order', async () => {
    const { articles, config, markdown } = await structureSeed('2019/meizhou-last-mile.md');
    // Where places are looked for: the title, kicker and subtitle, and the body; not the other front matter.
    const { meta } = articles[0] ?? { meta: null };
    const searched = [meta?.title, meta?.kicker, meta?.subtitle, ...bodyLines(markdown)].join('\n');
    const mentioned = config.gazetteer.filter((place) => place.matches.some((name) => searched.includes(name))).map((place) => place.id);
    expect(mentioned).toEqual(expect.arrayContaining(['meijiang', 'xingning', 'pingyuan']));
    expect(articles[0]?.summary.places).toEqual(mentioned);
  });

  it('should summarise the derived Traditional edition from its own, converted text', async () => {
    const { articles } = await structureSeed('2019/meizhou-last-mile.md');
    const [simplified, traditional] = articles;
    expect(traditional?.lang).toBe('zh-Hant');
    expect(traditional?.summary.excerpt).toContain('黨組織');
    expect(traditional?.summary.excerpt).not.toContain('党组织');
    expect(traditional?.summary.length).toBeGreaterThan(0);
    expect(Math.abs((traditional?.summary.length ?? 0) - (simplified?.summary.length ?? 0))).toBeLessThan(20);
  });

  it('should keep each block as HTML only, without a second, plain copy of its text', async () => {
    const { articles } = await structureSeed('2019/meizhou-last-mile.md');
    const blocks = articles.flatMap((article) => [...article.lead, ...article.sections.flatMap((section) => section.blocks)]);
    expect(blocks.length).toBeGreaterThan(20);
    for (const block of blocks) expect(Object.keys(block).sort()).toEqual(['content', 'id', 'position']);
  });
});
