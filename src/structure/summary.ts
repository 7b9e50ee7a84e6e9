import type { GazetteerPlace } from '../load/gazetteer.js';
import type { Article, TextSummary } from '../types.js';
import { recognisePlaces } from './places.js';
import { bodyLength } from './reading.js';

/** Feeds take up to this much of the lead; page descriptions cut it shorter. */
export const EXCERPT_LENGTH = 300;

/** What the archive needs of an article's plain text (see `TextSummary`). */
export function summariseText(article: Article, gazetteer: readonly GazetteerPlace[]): TextSummary {
  return {
    length: bodyLength(article),
    excerpt: article.lead.map((block) => block.text).join(' ').slice(0, EXCERPT_LENGTH),
    places: recognisePlaces(article, gazetteer),
  };
}
