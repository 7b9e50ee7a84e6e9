import { describe, expect, it } from 'vitest';
import { collectTerms } from '../../src/render/listings.js';
import type { ArchiveEntry } from '../../src/model/archive.js';
import type { ArticleDate } from '../../src/model/article.js';

/** The parts of an archive entry that its terms are read from. */
function entry(name: string, date: ArticleDate | null, tags: string[], authors: string[], places: string[] = []): ArchiveEntry {
  const meta = { title: name, date, tags, byline: authors.map((author) => ({ role: null, name: author })) };
  return { url: `/zh-hans/${name}/`, article: { meta }, places: places.map((id) => ({ id, name: id })) } as unknown as ArchiveEntry;
}

const day = (iso: string): ArticleDate => ({ iso, precision: 'day', sortKey: iso });

describe('collectTerms', () => {
  // Newest first, as an edition lists them.
  const newest = entry('c', day('2020-03-02'), ['Hakka', '围龙屋'], ['张柯', '蓝华林'], ['meijiang']);
  const middle = entry('b', day('2019-11-20'), ['ＨＡＫＫＡ', 'hakka', '围龙屋'], ['张柯', '张柯']);
  const oldest = entry('a', { iso: '2019', precision: 'year', sortKey: '2019-01-01' }, ['乡村振兴'], ['蓝华林'], ['meijiang', 'xingning']);
  const terms = collectTerms([newest, middle, oldest]);
  const listed = (kind: Parameters<typeof terms.get>[0]) => terms.get(kind)?.map((term) => [term.slug, term.name, term.entries.map((item) => item.url)]);

  it('should list an entry once under a term it names several times, in spellings that share a slug', () => {
    expect(listed('tags')).toContainEqual(['hakka', 'Hakka', ['/zh-hans/c/', '/zh-hans/b/']]);
    expect(listed('authors')).toContainEqual(['张柯', '张柯', ['/zh-hans/c/', '/zh-hans/b/']]);
  });

  it('should list years and months newest first, a year-only date under its year but no month', () => {
    expect(listed('years')).toEqual([
      ['2020', '2020', ['/zh-hans/c/']],
      ['2019', '2019', ['/zh-hans/b/', '/zh-hans/a/']],
    ]);
    expect(listed('months')).toEqual([
      ['2020/03', '2020-03', ['/zh-hans/c/']],
      ['2019/11', '2019-11', ['/zh-hans/b/']],
    ]);
  });

  it('should order the other terms by their number of articles, then by name, keeping entries newest first', () => {
    expect(listed('tags')?.map(([slug]) => slug)).toEqual(['hakka', '围龙屋', '乡村振兴']);
    expect(listed('places')).toEqual([
      ['meijiang', 'meijiang', ['/zh-hans/c/', '/zh-hans/a/']],
      ['xingning', 'xingning', ['/zh-hans/a/']],
    ]);
    expect(listed('authors')?.map(([slug]) => slug)).toEqual(['张柯', '蓝华林']);
  });
});
