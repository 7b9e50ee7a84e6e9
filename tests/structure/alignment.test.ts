import { describe, expect, it } from 'vitest';
import { alignArticles, checkAlignment } from '../../src/structure/alignment.js';
import type { Article, Block, Section } from '../../src/model/article.js';

const block = (id: string, text: string): Block<string> => ({ id, content: `<p>${text}</p>`, position: { line: 1, column: 1 } });
const section = (id: string, heading: string, count: number): Section<Block<string>> => ({
  id,
  heading,
  subheading: null,
  blocks: Array.from({ length: count }, (_, index) => block(`${id}-p${index + 1}`, `${heading} ${index + 1}`)),
  position: { line: 10, column: 1 },
});
const article = (file: string, lang: string, sections: Section<Block<string>>[], lead = 1): Article<Block<string>> =>
  ({ file, fingerprint: file, bytes: 0, positions: { date: null, slug: null }, key: 'k', lang, meta: {} as Article['meta'], lead: Array.from({ length: lead }, (_, index) => block(`p${index + 1}`, 'lead')), sections, related: [] });

describe('alignArticles', () => {
  it('should keep rows in step and leave a gap where one side is short', () => {
    const zh = article('a.md', 'zh-Hans', [section('s1', '甲', 2), section('s2', '乙', 1)]);
    const en = article('a.en.md', 'en', [section('s1', 'A', 1)]);
    const rows = alignArticles(zh, en).map((row) => [row.kind, row.id, row.left !== null, row.right !== null]);
    expect(rows).toEqual([
      ['block', 'p1', true, true],
      ['heading', 's1', true, true],
      ['block', 's1-p1', true, true],
      ['block', 's1-p2', true, false],
      ['heading', 's2', true, false],
      ['block', 's2-p1', true, false],
    ]);
  });
});

describe('checkAlignment', () => {
  const source = article('a.md', 'zh-Hans', [section('s1', '甲', 2), section('s2', '乙', 1)]);

  it('should find nothing wrong with a faithful translation', () => {
    expect(checkAlignment(source, article('a.en.md', 'en', [section('s1', 'A', 2), section('s2', 'B', 1)]))).toEqual([]);
  });

  it('should report each kind of misalignment as a warning naming both files', () => {
    const warnings = checkAlignment(source, article('a.en.md', 'en', [section('s1', '甲', 3)], 2));
    expect(warnings.map((warning) => [warning.code, warning.severity, warning.file])).toEqual(Array(4).fill(['BS211', 'warning', 'a.en.md']));
    expect(warnings.map((warning) => warning.message.replace(/ \(source: a\.md\)$/, ''))).toEqual([
      'the lead has 2 paragraphs, the source has 1',
      'section 1 ("甲") has 3 paragraphs, the source\'s ("甲") has 2',
      'section 1 heading "甲" is not translated',
      'section 2 ("乙") is missing',
    ]);
  });
});
