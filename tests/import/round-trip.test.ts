import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { recogniseReport } from '../../src/import/index.js';
import { toMarkdown } from '../../src/import/to-markdown.js';
import { parseMarkdown } from '../../src/parse/markdown.js';
import { toArticle } from '../../src/structure/article.js';
import { fixtures, seedFile } from '../helpers/paths.js';
import { sourceFile } from '../helpers/source.js';

const config = parseConfig('languages: [{code: zh-Hans}, {code: en}]', 'broadsheet.yaml');
const inputs = [seedFile, ...readdirSync(path.join(fixtures, 'import')).filter((name) => name.endsWith('.txt')).map((name) => path.join(fixtures, 'import', name))];

describe('import → Markdown → structure', () => {
  it.each(inputs.map((file) => [path.basename(file), file]))('should give back the same article for %s', (_, file) => {
    const { report } = recogniseReport(readFileSync(file), file);
    const markdown = toMarkdown(report, { sourceName: path.basename(file) });
    const source = sourceFile({ path: 'report.md', relativePath: 'report.md', key: 'report', lang: report.lang, text: markdown });
    const { article } = toArticle(source, parseMarkdown(markdown), config);

    expect(article.meta.title).toBe(report.title);
    expect(article.meta.kicker).toBe(report.kicker);
    expect(article.meta.subtitle).toBe(report.subtitle);
    expect(article.meta.byline).toEqual(report.byline);
    expect(article.lead.map((block) => block.text)).toEqual(report.lead);
    expect(
      article.sections.map((section) => ({
        heading: section.heading,
        subheading: section.subheading,
        paragraphs: section.blocks.map((block) => block.text),
      })),
    ).toEqual(report.sections);
    expect(article.related).toEqual(report.related);
    expect(article.meta.importedFrom).toBe(path.basename(file));
  });

  it('should escape text that would otherwise read as Markdown', () => {
    const report = {
      ...recogniseReport(Buffer.from('标题\n正文段落。\n'), 'x.txt').report,
      lead: ['1. 不是列表。', '# 不是标题', '*强调*不是强调，<b>也不是HTML</b>，[不是链接](x)。'],
    };
    const markdown = toMarkdown(report);
    const source = sourceFile({ path: 'x.md', relativePath: 'x.md', key: 'x', lang: 'zh-Hans', text: markdown });
    const { article } = toArticle(source, parseMarkdown(markdown), config);
    expect(article.lead.map((block) => [block.content.type, block.text])).toEqual(report.lead.map((text) => ['paragraph', text]));
  });
});
