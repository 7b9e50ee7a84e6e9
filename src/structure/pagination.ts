import type { PagerItem } from '../model/page.js';

/** One page of a paginated listing. */
export interface ListingPage<Item> {
  readonly number: number;
  readonly url: string;
  readonly items: readonly Item[];
  readonly pagination: {
    readonly current: number;
    readonly total: number;
    readonly previous: string | null;
    readonly next: string | null;
    readonly items: readonly PagerItem[];
  };
}

/** The URL of page `number` of a listing whose first page is `baseUrl`: `/en/`, `/en/page/2/`. */
export function pageUrl(baseUrl: string, number: number): string {
  return number === 1 ? baseUrl : `${baseUrl}page/${number}/`;
}

/**
 * Splits a listing into pages of `pageSize` items with numbered links: the
 * first and last page, two on either side of the current one, and gaps
 * between. An empty listing still has one (empty) page.
 */
export function paginate<Item>(items: readonly Item[], pageSize: number, baseUrl: string): ListingPage<Item>[] {
  const total = Math.max(1, Math.ceil(items.length / pageSize));
  return Array.from({ length: total }, (_, index) => {
    const number = index + 1;
    return {
      number,
      url: pageUrl(baseUrl, number),
      items: items.slice(index * pageSize, number * pageSize),
      pagination: {
        current: number,
        total,
        previous: number > 1 ? pageUrl(baseUrl, number - 1) : null,
        next: number < total ? pageUrl(baseUrl, number + 1) : null,
        items: pagerItems(number, total, baseUrl),
      },
    };
  });
}

function pagerItems(current: number, total: number, baseUrl: string): PagerItem[] {
  const shown = [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, total])]
    .filter((number) => number >= 1 && number <= total)
    .sort((a, b) => a - b);
  const items: PagerItem[] = [];
  for (const [index, number] of shown.entries()) {
    const before = shown[index - 1];
    if (before !== undefined && number - before > 1) items.push({ gap: true });
    items.push({ number, url: pageUrl(baseUrl, number), current: number === current });
  }
  return items;
}
