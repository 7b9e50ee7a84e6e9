import { digestOfChunks } from '../digest.js';

const COMMENT = /<!--[\s\S]*?-->/g;
// Attributes Pagefind reads wherever they are on a page: metadata, filters, sort keys, and the page's language.
// An attribute follows HTML whitespace (not any Unicode space: the page is searched byte for byte, below).
const PAGE_WIDE = /[\t\n\f\r ]data-pagefind-(?:meta|filter|sort|default-meta)(?:="[^"]*")?|<html\b[^>]*>/g;
const BODY_MARKER = 'data-pagefind-body';
const TAG_NAME = /[a-zA-Z][a-zA-Z0-9-]*/y;

/**
 * A digest of what Pagefind reads of a page: the element marked
 * `data-pagefind-body` (or the whole page when none is), without HTML
 * comments, and the page-wide attributes it honours. A template edit that
 * leaves this unchanged — layout chrome, a comment — needs no re-index.
 * It errs towards change: markup inside the body that Pagefind would skip
 * still counts.
 *
 * The page is searched as its UTF-8 bytes read one byte to a character
 * (Latin-1): every pattern here is ASCII, and no byte of a multi-byte
 * character is an ASCII one, so offsets are byte offsets and the parts are
 * hashed as the bytes they are, never copied or encoded again: the digest
 * is the one `digest(wide, body)` gives for them as strings.
 */
export function indexedTextDigest(page: string | Uint8Array): string {
  let bytes = typeof page === 'string' ? Buffer.from(page) : Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  let text = bytes.toString('latin1');
  if (text.includes('<!--')) {
    const kept = text.split(COMMENT);
    if (kept.length > 1) {
      text = kept.join('');
      bytes = Buffer.from(text, 'latin1');
    }
  }
  const wide = [...text.matchAll(PAGE_WIDE)].map((match) => bytes.subarray(match.index, match.index + match[0].length));
  const [start, end] = bodyRange(text) ?? [0, text.length];
  return digestOfChunks(wide, [bytes.subarray(start, end)]);
}

/** Where the first element carrying `data-pagefind-body` starts and ends, or null when there is none. */
function bodyRange(page: string): readonly [number, number] | null {
  const marker = page.indexOf(BODY_MARKER);
  if (marker < 0) return null;
  const start = page.lastIndexOf('<', marker);
  if (start < 0) return null;
  TAG_NAME.lastIndex = start + 1;
  const tag = TAG_NAME.exec(page)?.[0];
  if (!tag) return null;
  // Same-named elements nest; the body ends where the depth returns to zero.
  const pattern = new RegExp(`<(/?)${tag}\\b`, 'gi');
  pattern.lastIndex = start;
  let depth = 0;
  for (let match = pattern.exec(page); match; match = pattern.exec(page)) {
    depth += match[1] ? -1 : 1;
    if (depth === 0) {
      const end = page.indexOf('>', match.index);
      return [start, end < 0 ? page.length : end + 1];
    }
  }
  return [start, page.length];
}
