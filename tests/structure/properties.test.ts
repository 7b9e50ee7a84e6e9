import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../src/pipeline/compile/compile-file.js';
import { Converters } from '../../src/i18n/derive.js';
import { parseConfig } from '../../src/config/load-config.js';
import { isBroadsheetError } from '../../src/diagnostics/error.js';
import { recogniseReport } from '../../src/import/index.js';
import type { RenderedArticle, SourceFile } from '../../src/model/article.js';
import { sourceFile } from '../helpers/source.js';

// Property-based tests: whatever text reaches the importer, the front matter
// loader and the structure step, each either returns a well-formed result or
// throws a BroadsheetError — never another exception, never a hang (each test
// has a time limit) — and no text of the input silently disappears.

const config = parseConfig(
  'languages: [{code: zh-Hans, path: zh-hans}, {code: en, path: en}, {code: zh-Hant, path: zh-hant, derive: {from: zh-Hans, variant: tw}}]',
  'broadsheet.yaml',
);
const converters = new Converters(config.languages);
/** Runs per property; CI can raise it with FUZZ_RUNS. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
/** Inputs tried across this file, for the closing report. */
let tried = 0;

function source(text: string, lang = 'zh-Hans'): SourceFile {
  return sourceFile({ path: 'fuzz.md', relativePath: 'fuzz.md', key: 'fuzz', lang, text });
}

/** The user-facing outcome of a call: its value, or the BroadsheetError it threw; anything else fails the test. */
function outcome<Value>(run: () => Value): Value | null {
  tried += 1;
  try {
    return run();
  } catch (error) {
    if (isBroadsheetError(error) || (error as { errors?: unknown }).errors) return null;
    throw error;
  }
}

/** The text a reader sees of a block's HTML. */
function visibleText(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(?:#x([0-9a-f]+)|#(\d+)|(\w+));/gi, (entity, hex?: string, decimal?: string, name?: string) =>
      hex ? String.fromCodePoint(parseInt(hex, 16)) : decimal ? String.fromCodePoint(Number(decimal)) : (entities[name ?? ''] ?? entity),
    );
}

/** All reader-visible text of an article. */
function articleText(article: RenderedArticle): string {
  const { meta } = article;
  return [
    meta.title,
    meta.kicker,
    meta.subtitle,
    ...article.lead.map((block) => visibleText(block.content)),
    ...article.sections.flatMap((section) => [section.heading, section.subheading, ...section.blocks.map((block) => visibleText(block.content))]),
  ]
    .filter(Boolean)
    .join('\n');
}

// Characters that make ordinary report text and carry no structure of their own.
const PLAIN = [...'梅州党委乡村振兴发展群众服务建设工作基层组织学习教育山区客家围龙屋'];
const plainText = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...PLAIN), { minLength: min, maxLength: max }).map((chars) => chars.join(''));
const sentence = fc.tuple(plainText(4, 30), fc.constantFrom('。', '！', '？')).map(([text, end]) => text + end);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 4 }).map((sentences) => sentences.join(''));

describe('the importer on arbitrary input', () => {
  it('should recognise or reject random bytes, never crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        const result = outcome(() => recogniseReport(bytes, 'random.txt'));
        if (result) expect(result.report.title.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('should recognise or reject arbitrary Unicode text, never crash', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 2000 }), (text) => {
        outcome(() => recogniseReport(new TextEncoder().encode(text), 'text.txt'));
      }),
      { numRuns: RUNS },
    );
  });

  it('should keep every paragraph of a generated report', () => {
    fc.assert(
      fc.property(plainText(4, 20), fc.array(paragraph, { minLength: 1, maxLength: 12 }), (headline, paragraphs) => {
        const text = [headline, '', ...paragraphs.flatMap((item) => [item, ''])].join('\n');
        const result = outcome(() => recogniseReport(new TextEncoder().encode(text), 'report.txt'));
        expect(result).not.toBeNull();
        const recognised = JSON.stringify(result?.report);
        for (const item of paragraphs) expect(recognised).toContain(item);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the front matter loader and the structure step on arbitrary input', () => {
  it('should accept or reject arbitrary front matter, never crash', () => {
    const yamlish = fc.array(
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.constantFrom('title: 标题', 'date: 2019-02-30', 'date: 2019-13', 'tags: [a, b', 'slug: ../x', 'a: &x [*x]', '- item', ': :', 'title: !!binary AAAA', 'byline: {role: 1}', '? complex', '"unterminated'),
      ),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(yamlish, (lines) => {
        const result = outcome(() => compileFile(source(`---\n${lines.join('\n')}\n---\n\n正文。\n`), config, converters));
        if (result) expect(result.every((article) => article.meta.title.length > 0)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('should reject a YAML alias bomb with a clear error instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)];
    expect(outcome(() => compileFile(source(`---\ntitle: 炸弹\n${bomb.join('\n')}\n---\n\n正文。\n`), config, converters))).toBeNull();
  });

  it('should structure arbitrary Markdown bodies or reject them, never crash', () => {
    const token = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom('\n\n', '## ', '### ', '# ', '#### ', '> ', '- ', '1. ', '*', '**', '`', '```\n', '[a](b)', '![i](j)', '<div>', '</div>', '<script>', '---\n', '|a|b|\n|-|-|\n', '[^1]', '\\'),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        const result = outcome(() => compileFile(source(`---\ntitle: 标题\n---\n\n${tokens.join('')}\n`), config, converters));
        if (result) for (const article of result) expect(() => JSON.stringify(article)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });

  it('should keep every word of generated Markdown in the article, in every edition', () => {
    const block = fc.oneof(
      paragraph,
      paragraph.map((text) => `> ${text}`),
      fc.array(sentence, { minLength: 1, maxLength: 3 }).map((items) => items.map((item) => `- ${item}`).join('\n')),
      fc.tuple(plainText(2, 6), plainText(2, 6)).map(([a, b]) => `${a}**${b}**。`),
    );
    const section = fc.tuple(plainText(2, 8), fc.option(plainText(2, 8), { nil: undefined }), fc.array(block, { minLength: 1, maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(block, { maxLength: 3 }), fc.array(section, { maxLength: 5 }), (lead, sections) => {
        const body = [
          ...lead,
          ...sections.flatMap(([heading, subheading, blocks]) => [`## ${heading}`, ...(subheading ? [`### ${subheading}`] : []), ...blocks]),
        ].join('\n\n');
        const result = outcome(() => compileFile(source(`---\ntitle: 标题\n---\n\n${body}\n`), config, converters));
        expect(result).not.toBeNull();
        const [simplified] = result ?? [];
        if (!simplified) throw new Error('no article');
        const text = articleText(simplified);
        const words = body.replace(/^(##+|>|-) /gm, '').replace(/\*\*/g, '').split(/\n+/).filter(Boolean);
        for (const word of words) expect(text.replace(/\n/g, '')).toContain(word);
        // The derived Traditional edition has the same blocks, each with text.
        const traditional = result?.[1];
        expect(traditional?.sections.map((item) => item.blocks.length)).toEqual(simplified.sections.map((item) => item.blocks.length));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the pipeline on very large and deep input', () => {
  const bigReport = (paragraphs: number, width: number): Uint8Array => {
    const line = '梅州党员'.repeat(width / 4).slice(0, width);
    return new TextEncoder().encode(['十万字的报道', '', ...Array.from({ length: paragraphs }, (_, index) => `${index}${line}。\n`)].join('\n'));
  };

  it('should import a 10 MB report', () => {
    const bytes = bigReport(3500, 1000);
    expect(bytes.length).toBeGreaterThan(10_000_000);
    const result = outcome(() => recogniseReport(bytes, 'big.txt'));
    expect(result?.report.lead.length).toBe(3500);
  }, 60_000);

  it('should import a report with a 1 MB line', () => {
    const result = outcome(() => recogniseReport(bigReport(2, 350_000), 'wide.txt'));
    expect(result?.report.lead.join('').length).toBeGreaterThan(700_000);
  }, 60_000);

  it('should structure a 10 MB Markdown file', () => {
    const body = Array.from({ length: 3500 }, (_, index) => `段落${index}${'梅州党员'.repeat(250)}。`).join('\n\n');
    const result = outcome(() => compileFile(source(`---\ntitle: 大文件\n---\n\n${body}\n`), config, converters));
    expect(result?.[0]?.lead.length).toBe(3500);
  }, 120_000);

  it('should structure a line of 1 MB', () => {
    const result = outcome(() => compileFile(source(`---\ntitle: 长行\n---\n\n${'梅州党员'.repeat(90_000)}。\n`), config, converters));
    expect(result?.[0]?.summary.length).toBeGreaterThan(350_000);
  }, 60_000);

  it('should structure thousands of sections', () => {
    const body = Array.from({ length: 3000 }, (_, index) => `## 第${index}节\n\n正文${index}。`).join('\n\n');
    const result = outcome(() => compileFile(source(`---\ntitle: 多节\n---\n\n${body}\n`), config, converters));
    expect(result?.[0]?.sections.length).toBe(3000);
    expect(new Set(result?.[0]?.sections.map((section) => section.id)).size).toBe(3000);
  }, 60_000);

  it.each([
    ['blockquotes', 10_000, (depth: number) => `${'> '.repeat(depth)}深处。`],
    ['lists', 1_000, (depth: number) => Array.from({ length: depth }, (_, level) => `${'  '.repeat(level)}- 第${level}层深处`).join('\n')],
    ['emphasis', 10_000, (depth: number) => `${'*_'.repeat(depth)}深处${'_*'.repeat(depth)}`],
    ['links', 10_000, (depth: number) => `${'['.repeat(depth)}深处${'](x)'.repeat(depth)}`],
  ])('should survive %s nested %i deep', (_name, depth, nest) => {
    const result = outcome(() => compileFile(source(`---\ntitle: 嵌套\n---\n\n${nest(depth)}\n`), config, converters));
    if (result) expect(articleText(result[0] as RenderedArticle)).toContain('深处');
  }, 60_000);

  it.each([
    ['lists', (depth: number) => Array.from({ length: depth }, (_, level) => `${'  '.repeat(level)}- 第${level}层深处`).join('\n')],
    ['blockquotes', (depth: number) => `${'> '.repeat(depth)}深处。`],
    ['emphasis', (depth: number) => `${'*_'.repeat(depth)}深处${'_*'.repeat(depth)}`],
  ])('should still read %s nested 40 deep, which real text never exceeds', (_name, nest) => {
    const result = outcome(() => compileFile(source(`---\ntitle: 嵌套\n---\n\n${nest(40)}\n`), config, converters));
    expect(articleText(result?.[0] as RenderedArticle)).toContain('深处');
  });

  it('should have tried many inputs', () => {
    expect(tried).toBeGreaterThan(RUNS * 5);
    console.log(`[fuzz] ${tried} inputs through the importer, front matter loader and structure step`);
  });
});
