import { describe, expect, it } from 'vitest';
import { formatArticleDate, formatNumber } from '../../src/i18n/format.js';

describe('formatArticleDate', () => {
  const day = { iso: '2019-11-26', precision: 'day', sortKey: '2019-11-26' } as const;
  const month = { iso: '2019-11', precision: 'month', sortKey: '2019-11-01' } as const;
  const year = { iso: '2019', precision: 'year', sortKey: '2019-01-01' } as const;

  it('should print a date at the precision it is known, in each locale', () => {
    expect(formatArticleDate(day, 'zh-Hans')).toBe('2019年11月26日');
    expect(formatArticleDate(day, 'en-GB')).toBe('26 November 2019');
    expect(formatArticleDate(month, 'en-GB')).toBe('November 2019');
    expect(formatArticleDate(year, 'zh-Hant')).toBe('2019年');
  });

  it('should keep remembered dates apart by locale and precision', () => {
    // The first of a month, dated to the day and to the month, share a sort key.
    const first = { iso: '2019-11-01', precision: 'day', sortKey: '2019-11-01' } as const;
    const results = [formatArticleDate(first, 'zh-Hans'), formatArticleDate(month, 'zh-Hans'), formatArticleDate(first, 'en-GB'), formatArticleDate(month, 'en-GB')];
    expect(results).toEqual(['2019年11月1日', '2019年11月', '1 November 2019', 'November 2019']);
    expect([formatArticleDate(first, 'zh-Hans'), formatArticleDate(month, 'en-GB')]).toEqual([results[0], results[3]]);
  });
});

describe('formatNumber', () => {
  it("should group digits the locale's way", () => {
    expect(formatNumber(2300, 'en-GB')).toBe('2,300');
  });
});
