import type { ArticleDate } from '../model/article.js';

const dateFormats = new Map<string, Intl.DateTimeFormat>();
// Formatting through ICU takes tens of microseconds, and a listing shows the same dates again and
// again: an archive has at most a few thousand distinct days per edition.
const formattedDates = new Map<string, string>();

/**
 * Formats an article date for a locale at the precision it is known:
 * `2019年11月26日` / `26 November 2019`, `2019年11月` / `November 2019`, `2019年` / `2019`.
 */
export function formatArticleDate(date: ArticleDate, locale: string): string {
  const key = `${locale}|${date.precision}|${date.sortKey}`;
  let formatted = formattedDates.get(key);
  if (formatted === undefined) {
    formatted = formatWithIcu(date, locale);
    formattedDates.set(key, formatted);
  }
  return formatted;
}

function formatWithIcu(date: ArticleDate, locale: string): string {
  const options: Intl.DateTimeFormatOptions =
    date.precision === 'day'
      ? { year: 'numeric', month: 'long', day: 'numeric' }
      : date.precision === 'month'
        ? { year: 'numeric', month: 'long' }
        : { year: 'numeric' };
  const cacheKey = `${locale}|${date.precision}`;
  let format = dateFormats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    dateFormats.set(cacheKey, format);
  }
  return format.format(new Date(`${date.sortKey}T00:00:00Z`));
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** Formats a count with the locale's grouping: `2,300`. */
export function formatNumber(value: number, locale: string): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale);
    numberFormats.set(locale, format);
  }
  return format.format(value);
}
