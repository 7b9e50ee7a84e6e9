import { digest } from '../digest.js';
import type { ArchiveEntry, ArticleCard } from '../model/archive.js';

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
    const face = digest(JSON.stringify([url, language.code, derived, reading, places, key, meta, summary]));
    card = { url, language, derived, reading, places, article: { key, meta, summary }, face };
    cards.set(entry, card);
  }
  return card;
}

export function isCard(value: object): value is ArticleCard {
  return 'face' in value && 'article' in value && 'url' in value;
}
