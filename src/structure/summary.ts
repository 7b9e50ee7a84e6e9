import type { GazetteerPlace } from '../model/config.js';
import type { Article, TextSummary } from '../model/article.js';
import { recognisePlaces } from './places.js';
import { bodyLength } from './reading.js';

/** Feeds take up to this much of the lead; page descriptions cut it shorter. */
export const EXCERPT_LENGTH = 300;

/** What the archive needs of an article's plain text (see `TextSummary`). */
export function summariseText(article: Article, gazetteer: readonly GazetteerPlace[]): TextSummary {
  return {
    length: bodyLength(article),
    excerpt: cutText(article.lead.map((block) => block.text).join(' '), EXCERPT_LENGTH),
    places: recognisePlaces(article, gazetteer),
  };
}

/** The first `length` UTF-16 units of `text` at most, never half of a character outside the BMP. */
function cutText(text: string, length: number): string {
  if (text.length <= length) return text;
  const last = text.charCodeAt(length - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}
