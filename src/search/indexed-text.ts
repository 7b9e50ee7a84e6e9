import { digest } from '../digest.js';

const COMMENT = /<!--[\s\S]*?-->/g;
// Attributes Pagefind reads wherever they are on a page: metadata, filters, sort keys, and the page's language.
const PAGE_WIDE = /\sdata-pagefind-(?:meta|filter|sort|default-meta)(?:="[^"]*")?|<html\b[^>]*>/g;

/**
 * A digest of what Pagefind reads of a page: the element marked
 * `data-pagefind-body` (or the whole page when none is), without HTML
 * comments, and the page-wide attributes it honours. A template edit that
 * leaves this unchanged — layout chrome, a comment — needs no re-index.
 * It errs towards change: markup inside the body that Pagefind would skip
 * still counts.
 */
export function indexedTextDigest(html: string): string {
  const page = html.replace(COMMENT, '');
  const wide = page.match(PAGE_WIDE)?.join('') ?? '';
  return digest(wide, bodyOf(page) ?? page);
}

/** The outer HTML of the first element carrying `data-pagefind-body`, or null when there is none. */
function bodyOf(page: string): string | null {
  const marker = page.indexOf('data-pagefind-body');
  if (marker < 0) return null;
  const start = page.lastIndexOf('<', marker);
  const tag = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(page.slice(start))?.[1]?.toLowerCase();
  if (start < 0 || !tag) return null;
  // Same-named elements nest; the body ends where the depth returns to zero.
  const pattern = new RegExp(`<(/?)${tag}\\b`, 'gi');
  pattern.lastIndex = start;
  let depth = 0;
  for (let match = pattern.exec(page); match; match = pattern.exec(page)) {
    depth += match[1] ? -1 : 1;
    if (depth === 0) {
      const end = page.indexOf('>', match.index);
      return page.slice(start, end < 0 ? page.length : end + 1);
    }
  }
  return page.slice(start);
}
