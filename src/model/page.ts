import type { ArchiveEntry, ArticleCard } from './archive.js';
import type { RenderedArticle } from './article.js';
import type { Language } from './config.js';

/**
 * Pages: what the plan step decides to write, one value per output file,
 * keyed by `kind`. The render step turns a plan into an {@link OutputFile}.
 */

/** Where the same page exists in another language; `url` is null where it does not. */
export interface Alternate {
  readonly language: Language;
  readonly url: string | null;
}

/** A rendered file: path inside the output folder and its contents. */
export interface OutputFile {
  readonly path: string;
  readonly contents: string | Uint8Array;
}

/** What every planned page has, whatever its kind. */
interface PlanCommon {
  /** Site-relative URL: `/zh-hans/2019/report/`, `/en/feed.xml`. */
  readonly url: string;
  /** The template that renders it (`article.njk`), or the name of the code that does (`feed:atom`, `sitemap`). */
  readonly template: string;
  readonly language: Language;
  /** This page in every configured language, itself included: the hreflang equivalents. */
  readonly alternates: readonly Alternate[];
  /** Where the language switcher leads, when that differs from the equivalents (later listing pages). */
  readonly switcher?: readonly Alternate[];
  /**
   * Values that, with the URL and the alternates, determine everything else
   * in the plan, to be compared by identity: when they are the same objects
   * as last time, the previous plan (and its signature) still holds.
   */
  readonly identity?: readonly unknown[];
  /** Links from `/` rather than relative: for pages served at other addresses (404). */
  readonly rootRelative?: boolean;
}

/** One edition of an article. */
export interface ArticlePlan extends PlanCommon {
  readonly kind: 'article';
  readonly data: {
    readonly entry: ArchiveEntry;
    readonly article: RenderedArticle;
    /** The URL of its parallel view, when it has a partner edition. */
    readonly parallel: string | null;
    /**
     * The edition its parallel view shows beside it, and the edition it was
     * converted from (Traditional from Simplified): cards, since the page only
     * names and links them. Their bodies would make every plan sent to a render
     * thread twice as large, and re-render the page whenever they change.
     */
    readonly partner: ArticleCard | null;
    readonly derivedFrom: ArticleCard | null;
    readonly newer: ArticleCard | null;
    readonly older: ArticleCard | null;
  };
}

/** An edition beside its partner, paragraph by paragraph. */
export interface ParallelPlan extends PlanCommon {
  readonly kind: 'parallel';
  readonly data: { readonly entry: ArchiveEntry; readonly article: RenderedArticle; readonly partner: ArchiveEntry };
}

/** An edition as the language chooser and 404 pages list it. */
export interface EditionLink {
  readonly language: Language;
  readonly url: string;
  readonly count: number;
}

/** The language chooser at `/`. */
export interface HomePlan extends PlanCommon {
  readonly kind: 'home';
  readonly data: { readonly editions: readonly EditionLink[] };
}

/** A page-not-found page: the site's own, listing the editions, and one per edition. */
export interface NotFoundPlan extends PlanCommon {
  readonly kind: 'not-found';
  readonly data: { readonly editions?: readonly EditionLink[] };
}

/** An edition's search page, naming the search bundles it loads. */
export interface SearchPlan extends PlanCommon {
  readonly kind: 'search';
  /** The search bundles to load, and the table that folds a query into the index's script (see i18n/search-fold.ts). */
  readonly data: { readonly bundles: readonly string[]; readonly fold: string | null };
}

export type TaxonomyKind = 'years' | 'months' | 'places' | 'tags' | 'authors';

/** One numbered link of a pager, or a gap (…) between distant numbers. */
export type PagerItem = { readonly number: number; readonly url: string; readonly current: boolean } | { readonly gap: true };

export interface Pagination {
  readonly current: number;
  readonly total: number;
  readonly previous: string | null;
  readonly next: string | null;
  readonly items: readonly PagerItem[];
}

/** One page of a list of articles: an edition's front page, or the articles of a year, month, place, tag or author. */
export interface ListingPlan extends PlanCommon {
  readonly kind: 'front' | 'listing';
  readonly data: {
    readonly listing: { readonly kind: TaxonomyKind | 'front'; readonly term: { readonly slug: string; readonly name: string } | null };
    readonly entries: readonly ArticleCard[];
    readonly total: number;
    readonly pagination: Pagination;
  };
}

/** A term as an index of terms links to it. */
export interface TermLink {
  readonly slug: string;
  readonly name: string;
  readonly count: number;
  readonly url: string;
}

/** The index of one taxonomy: every year (with its months), place, tag or author. */
export interface TermsPlan extends PlanCommon {
  readonly kind: 'terms';
  readonly data: { readonly kind: TaxonomyKind; readonly terms: readonly (TermLink & { readonly kind: TaxonomyKind })[]; readonly months: readonly TermLink[] };
}

export type FeedFormat = 'atom' | 'rss' | 'json';

/** An edition's newest articles, in one feed format. */
export interface FeedPlan extends PlanCommon {
  readonly kind: 'feed';
  readonly format: FeedFormat;
  readonly data: { readonly entries: readonly ArchiveEntry[] };
}

/** The sitemap index, naming the sitemap files. */
export interface SitemapIndexPlan extends PlanCommon {
  readonly kind: 'sitemap-index';
  readonly data: { readonly files: readonly string[] };
}

/** A page as a sitemap lists it. */
export interface SitemapEntry {
  readonly url: string;
  readonly alternates: readonly Alternate[];
}

/** One sitemap file: the pages of one edition and top-level folder. */
export interface SitemapPlan extends PlanCommon {
  readonly kind: 'sitemap';
  readonly data: { readonly pages: readonly SitemapEntry[] };
}

/** The Google News sitemap of the newest articles. */
export interface NewsSitemapPlan extends PlanCommon {
  readonly kind: 'sitemap-news';
  readonly data: { readonly entries: readonly ArchiveEntry[] };
}

export interface RobotsPlan extends PlanCommon {
  readonly kind: 'robots';
  readonly data: Readonly<Record<string, never>>;
}

/** A page to write: its URL, its kind and the data its kind needs. */
export type PagePlan =
  | ArticlePlan
  | ParallelPlan
  | HomePlan
  | NotFoundPlan
  | SearchPlan
  | ListingPlan
  | TermsPlan
  | FeedPlan
  | SitemapIndexPlan
  | SitemapPlan
  | NewsSitemapPlan
  | RobotsPlan;

export type PageKind = PagePlan['kind'];

/** Pages a template renders, as opposed to the files made by code (feeds, sitemaps, robots.txt). */
export type TemplatePlan = ArticlePlan | ParallelPlan | HomePlan | NotFoundPlan | SearchPlan | ListingPlan | TermsPlan;
/** Feeds, sitemaps and robots.txt: made by code, not templates. */
export type SiteFilePlan = FeedPlan | SitemapIndexPlan | SitemapPlan | NewsSitemapPlan | RobotsPlan;

const SITE_FILE_KINDS: ReadonlySet<PageKind> = new Set(['feed', 'sitemap-index', 'sitemap', 'sitemap-news', 'robots']);

export function isSiteFile(plan: PagePlan): plan is SiteFilePlan {
  return SITE_FILE_KINDS.has(plan.kind);
}
