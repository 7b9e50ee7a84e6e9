import type { GazetteerPlace } from '../model/config.js';
import type { Article } from '../model/article.js';
import { avoidReserved, MAX_SEGMENT_LENGTH } from './slug.js';
import type { PlaceRef } from '../model/archive.js';

/** The gazetteer places named anywhere in the article's title or text. */
export function recognisePlaces(article: Article, gazetteer: readonly GazetteerPlace[]): string[] {
  if (gazetteer.length === 0) return [];
  const text = [
    article.meta.title,
    article.meta.kicker ?? '',
    article.meta.subtitle ?? '',
    ...article.lead.map((block) => block.text),
    ...article.sections.flatMap((section) => [section.heading, section.subheading ?? '', ...section.blocks.map((block) => block.text)]),
  ].join('\n');
  return gazetteer.filter((place) => place.matches.some((name) => text.includes(name))).map((place) => place.id);
}

/** The gazetteer id of a place written in front matter, matched on any of its names. */
export function gazetteerIdOf(name: string, gazetteer: readonly GazetteerPlace[]): string | undefined {
  const wanted = name.trim().toLowerCase();
  return gazetteer.find((place) => place.matches.some((match) => match.toLowerCase() === wanted))?.id;
}

/**
 * The places of one edition: the group's gazetteer places (found in the
 * source text or named in any edition's front matter), in gazetteer order and
 * named in this edition's language, then this edition's other front-matter
 * places as written.
 */
export function placesOfEdition(
  known: ReadonlySet<string>,
  article: Pick<Article, 'lang' | 'meta'>,
  gazetteer: readonly GazetteerPlace[],
  fallbackLanguage: string,
): PlaceRef[] {
  const places: PlaceRef[] = gazetteer
    .filter((place) => known.has(place.id))
    .map((place) => ({ id: place.id, name: place.names[article.lang] ?? place.names[fallbackLanguage] ?? place.id }));
  for (const name of article.meta.places) {
    if (gazetteerIdOf(name, gazetteer) !== undefined) continue;
    const id = termSlug(name);
    if (!places.some((place) => place.id === id)) places.push({ id, name });
  }
  return places;
}

/**
 * A URL segment for a name: Unicode letters and digits kept (Chinese names
 * stay readable in the address bar), compatibility forms folded (NFKC, so
 * full-width letters and look-alike forms become their plain form), everything
 * else turned into single hyphens.
 */
export function termSlug(name: string): string {
  let slug = termSlugs.get(name);
  if (slug === undefined) {
    slug = slugOfTerm(name);
    termSlugs.set(name, slug);
  }
  return slug;
}

// Every page links its authors, places and tags, and an archive has a few thousand distinct ones at most.
const termSlugs = new Map<string, string>();

function slugOfTerm(name: string): string {
  const slug = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  // Cut by characters, not UTF-16 units, so a name is never cut inside a character.
  return avoidReserved(Array.from(slug).slice(0, MAX_SEGMENT_LENGTH).join('')) || 'untitled';
}
