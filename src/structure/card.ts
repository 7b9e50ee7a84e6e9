import { createHash } from 'node:crypto';
import type { Language } from '../config/load-config.js';
import type { ArticleMeta, TextSummary } from '../types.js';
import type { ArchiveEntry } from './archive.js';
import type { PlaceRef } from './places.js';
import type { ReadingMeasure } from './reading.js';

/**
 * What a page shows of an article that is not its own: a listing's entries,
 * an article page's newer and older neighbours. The article's front matter,
 * excerpt, places and reading time in minutes, never its body or its exact
 * length, so that most edits to a body leave every page showing the card as
 * it was, whatever a project's templates pick from it. `face` sums the card
 * up for comparing it between builds.
 */
export interface ArticleCard {
  readonly url: string;
  readonly language: Language;
  readonly derived: boolean;
  readonly reading: Omit<ReadingMeasure, 'count'>;
  readonly places: readonly PlaceRef[];
  readonly article: { readonly key: string; readonly meta: ArticleMeta; readonly summary: Omit<TextSummary, 'length'> };
  /** A digest of everything above: equal faces show the same card. */
  readonly face: string;
}

// One card per entry: an unchanged entry keeps its card, so plans holding it compare by identity.
const cards = new WeakMap<ArchiveEntry, ArticleCard>();

/** The card of an archive entry, made once. */
export function cardOf(entry: ArchiveEntry): ArticleCard {
  let card = cards.get(entry);
  if (!card) {
    const { url, language, derived, places } = entry;
    const { key, meta } = entry.article;
    const reading = { unit: entry.reading.unit, minutes: entry.reading.minutes };
    const summary = { excerpt: entry.article.summary.excerpt, places: entry.article.summary.places };
    const face = createHash('sha1')
      .update(JSON.stringify([url, language.code, derived, reading, places, key, meta, summary]))
      .digest('base64');
    card = { url, language, derived, reading, places, article: { key, meta, summary }, face };
    cards.set(entry, card);
  }
  return card;
}

export function isCard(value: object): value is ArticleCard {
  return 'face' in value && 'article' in value && 'url' in value;
}
