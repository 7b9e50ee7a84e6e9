import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { BroadsheetError, toBroadsheetErrors } from '../../src/diagnostics/error.js';
import { scanContent } from '../../src/load/scan.js';
import { parseMarkdown } from '../../src/parse/markdown.js';
import { renderArticleHtml } from '../../src/render/html.js';
import { toArticle, type StructuredArticle } from '../../src/structure/article.js';
import { summariseText } from '../../src/structure/summary.js';
import { parseArticleDate } from '../../src/structure/front-matter.js';
import type { SourceFile } from '../../src/model/article.js';
import { fixtures, root } from '../helpers/paths.js';
import { writeCorpus } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { sourceFile } from '../helpers/source.js';

const toHtml = (structured: StructuredArticle) => renderArticleHtml(structured, summariseText(structured.article, []));

const config = parseConfig('languages: [{code: zh-Hans}, {code: en}]', 'broadsheet.yaml');

function source(text: string, file = 'report.md', lang = 'zh-Hans'): SourceFile {
  return sourceFile({ path: file, relativePath: file, key: file.replace(/\.md$/, ''), lang, text });
}

function structure(file: SourceFile) {
  return toArticle(file, parseMarkdown(file.text), config);
}

function problems(file: SourceFile): BroadsheetError[] {
  try {
    structure(file);
  } catch (error) {
    return [...toBroadsheetErrors(error)];
  }
  throw new Error('expected structuring to fail');
}

describe('toArticle on the shipped report', () => {
  const file = 'content/2019/meizhou-last-mile.md';
  const { article } = structure(source(readFileSync(path.join(root, file), 'utf8'), file));

  it('should find the lead, three sections with subheadings and the related teaser', () => {
    expect(article.meta.title).toBe('梅州打通基层党组织开展主题教育“最后一公里”纪实');
    expect(article.lead).toHaveLength(1);
    expect(article.sections.map((section) => [section.id, section.heading, section.subheading, section.blocks.length])).toEqual([
      ['s1', '抓载体创新', '推动学习教育全覆盖', 6],
      ['s2', '抓关键少数', '推动领导责任落到底', 4],
      ['s3', '抓作用发挥', '推动基层党员作表率', 4],
    ]);
    expect(article.related).toHaveLength(1);
  });

  it('should give every block a stable anchor id and its source line', () => {
    expect(article.lead[0]?.id).toBe('p1');
    expect(article.sections[2]?.blocks.map((block) => block.id)).toEqual(['s3-p1', 's3-p2', 's3-p3', 's3-p4']);
    const line = article.sections[0]?.blocks[0]?.position?.line ?? 0;
    expect(readFileSync(path.join(root, file), 'utf8').split('\n')[line - 1]).toMatch(/^在第二批/);
  });

  it('should render each block to HTML carrying its id', () => {
    const rendered = toHtml(structure(source(readFileSync(path.join(root, file), 'utf8'), file)));
    expect(rendered.sections[1]?.blocks[0]?.content).toMatch(/^<p id="s2-p1">火车跑得快/);
  });
});

describe('toArticle on Markdown forms', () => {
  it('should treat a ### later in a section as a block, not a subheading', () => {
    const { article } = structure(source('---\ntitle: T\n---\n\n## A\n\n### B\n\npara\n\n### C\n\nmore\n'));
    expect(article.sections[0]?.subheading).toBe('B');
    expect(article.sections[0]?.blocks.map((block) => block.content.type)).toEqual(['paragraph', 'heading', 'paragraph']);
  });

  it('should read a final ## 新闻推荐 section as related teasers', () => {
    const { article } = structure(source('---\ntitle: T\n---\n\n导语。\n\n## 一\n\n正文。\n\n## 新闻推荐\n\n- 甲\n- 乙\n'));
    expect(article.sections).toHaveLength(1);
    expect(article.related).toEqual(['甲', '乙']);
  });

  it('should resolve reference links defined anywhere in the file', () => {
    const rendered = toHtml(structure(source('---\ntitle: T\n---\n\n见[报道][r]。\n\n[r]: https://example.org/a\n')));
    expect(rendered.lead[0]?.content).toBe('<p id="p1">见<a href="https://example.org/a">报道</a>。</p>');
  });

  it('should drop raw HTML rather than pass it through', () => {
    const rendered = toHtml(structure(source('---\ntitle: T\n---\n\n<script>alert(1)</script>\n\n正文<b onclick="x">粗</b>。\n')));
    const html = rendered.lead.map((block) => block.content).join('');
    expect(html).not.toMatch(/<script|onclick|<b/);
    expect(html).toContain('正文');
  });

  it('should read the synthetic corpus format unchanged', async () => {
    const out = await tempDir('broadsheet-corpus');
    writeCorpus(out, { articles: 3, translations: true });
    return scanContent(out, config).then(({ files, errors }) => {
      expect(errors).toEqual([]);
      expect(files.map((file) => file.lang).sort()).toEqual(['en', 'en', 'en', 'zh-Hans', 'zh-Hans', 'zh-Hans']);
      for (const file of files) {
        const { article } = structure(file);
        expect(article.sections).toHaveLength(3);
        expect(article.sections.every((section) => section.subheading && section.blocks.length >= 3)).toBe(true);
        expect(article.meta.byline.length).toBeGreaterThan(0);
        expect(article.meta.places.length).toBeGreaterThan(0);
        expect(article.meta.date?.precision).toBe('day');
      }
    });
  });
});

describe('front matter validation', () => {
  it.each([
    ['missing-title.md', 'BS202', 2, 1, /"title" is required/],
    ['impossible-date.md', 'BS205', 3, 7, /2019-02-30/],
    ['malformed-date.md', 'BS205', 3, 7, /not a date/],
    ['unknown-field.md', 'BS204', 3, 1, /unknown field "author"/],
    ['unknown-language.md', 'BS206', 3, 7, /"fr"/],
    ['yaml-syntax.md', 'BS201', 3, 1, /Flow sequence/],
    ['wrong-type.md', 'BS203', 3, 9, /places/],
    ['no-front-matter.md', 'BS209', 1, 1, /front matter/],
    ['h1-in-body.md', 'BS208', 5, 1, /front matter/],
  ])('should report %s as %s at line %i, column %i', (name, code, line, column, message) => {
    const text = readFileSync(path.join(fixtures, 'invalid', name), 'utf8');
    const [error, ...more] = problems(source(text, `invalid/${name}`));
    expect(more).toEqual([]);
    expect({ code: error?.code, file: error?.file, line: error?.line, column: error?.column }).toEqual({ code, file: `invalid/${name}`, line, column });
    expect(error?.message).toMatch(message);
  });

  it('should report every problem of a file at once', () => {
    const errors = problems(source('---\ntitle: 1\nplaces: x\ncolour: red\n---\n'));
    expect(errors.map((error) => [error.code, error.line])).toEqual([
      ['BS203', 2],
      ['BS203', 3],
      ['BS204', 4],
    ]);
  });
});

describe('parseArticleDate', () => {
  it.each([
    ['2019-11-26', { iso: '2019-11-26', precision: 'day', sortKey: '2019-11-26' }],
    ['2019-11', { iso: '2019-11', precision: 'month', sortKey: '2019-11-01' }],
    [2019, { iso: '2019', precision: 'year', sortKey: '2019-01-01' }],
    ['2020-02-29', { iso: '2020-02-29', precision: 'day', sortKey: '2020-02-29' }],
  ])('should read %s', (value, expected) => {
    expect(parseArticleDate(value)).toEqual(expected);
  });

  it.each(['2019-02-30', '2019-13', '2019-1-5', '19-11-26', 'yesterday', '2021-02-29'])('should reject %s', (value) => {
    expect(parseArticleDate(value)).toBeUndefined();
  });
});
