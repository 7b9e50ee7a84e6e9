import type { Language } from './config.js';
import type { ArticleMeta, RenderedArticle, TextSummary } from './article.js';

/**
 * The archive: every article placed in its editions, grouped by translation
 * key. `structure/archive.ts` makes it from the articles.
 */

/** A place an article is listed under, named in one language. */
export interface PlaceRef {
  /** URL segment: a gazetteer id, or a slug of a name the gazetteer does not know. */
  readonly id: string;
  readonly name: string;
}

/** An article's length the way its language counts it, and the time to read it. */
export interface ReadingMeasure {
  readonly count: number;
  /** Chinese counts characters (字); alphabetic languages count words. */
  readonly unit: 'characters' | 'words';
  readonly minutes: number;
}

/** One edition of an article placed in the archive. */
export interface ArchiveEntry {
  readonly article: RenderedArticle;
  readonly language: Language;
  /** Site-relative URL with a trailing slash: `/zh-hans/2019/report/`. */
  readonly url: string;
  readonly reading: ReadingMeasure;
  /** Generated from another edition (Traditional from Simplified), not written by hand. */
  readonly derived: boolean;
  /** The places the article is listed under, named in this edition's language. */
  readonly places: readonly PlaceRef[];
}

/** All editions of one article: the source and its translations, keyed by language code. */
export interface ArticleGroup {
  readonly key: string;
  readonly source: ArchiveEntry;
  readonly editions: ReadonlyMap<string, ArchiveEntry>;
}

/** Every article of the site, grouped by edition and by translation key. */
export interface Archive {
  /** Per language code, newest first. */
  readonly editions: ReadonlyMap<string, readonly ArchiveEntry[]>;
  readonly groups: ReadonlyMap<string, ArticleGroup>;
  /** Every article page's URL and the entry that claims it. */
  readonly urls: ReadonlyMap<string, ArchiveEntry>;
}

/** An archive with nothing in it, to update from. */
export const emptyArchive: Archive = { editions: new Map(), groups: new Map(), urls: new Map() };

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
