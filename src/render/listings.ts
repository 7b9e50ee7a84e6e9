import type { Config, Language } from '../model/config.js';
import type { Archive, ArchiveEntry } from '../model/archive.js';
import { cardOf } from '../structure/card.js';
import { paginate } from '../structure/pagination.js';
import { termSlug } from '../structure/places.js';
import type { Alternate, PagePlan, TaxonomyKind } from '../model/page.js';

/** One term of a taxonomy in one edition: a year, a place, a tag, an author. */
export interface Term {
  readonly kind: TaxonomyKind;
  /** URL segment(s) under the taxonomy: `meijiang`, `2019`, `2019/11`. */
  readonly slug: string;
  /** Name as shown: `梅江区`, `2019`, `2019-11` (formatted by the template). */
  readonly name: string;
  /** Newest first, as in the edition. */
  readonly entries: ArchiveEntry[];
}

/** The URL segment of each taxonomy under an edition. */
export const TAXONOMY_PATHS: Readonly<Record<TaxonomyKind, string>> = {
  years: 'archive',
  months: 'archive',
  places: 'places',
  tags: 'tags',
  authors: 'authors',
};

/** `/zh-hans/places/meijiang/`. */
export function termUrl(language: Language, kind: TaxonomyKind, slug: string): string {
  return `/${language.path}/${TAXONOMY_PATHS[kind]}/${slug}/`;
}

// Tag and author names repeat across thousands of articles; each distinct name is normalised once.
// Bounded: a long watch session over an archive whose names keep changing must not keep every one.
const slugsOfNames = new Map<string, string>();
const SLUG_MEMO_SIZE = 50_000;

function slugOf(name: string): string {
  let slug = slugsOfNames.get(name);
  if (slug === undefined) {
    if (slugsOfNames.size >= SLUG_MEMO_SIZE) slugsOfNames.clear();
    slug = termSlug(name);
    slugsOfNames.set(name, slug);
  }
  return slug;
}

/**
 * Calls `visit` for each term an entry carries (an article by three people
 * has three author terms). Terms are not kept per entry: for a 4,000-report
 * archive they were 100,000 objects and as many key strings, and visiting
 * them again is a few map lookups per entry.
 */
function forEachTerm(entry: ArchiveEntry, visit: (kind: TaxonomyKind, slug: string, name: string) => void): void {
  const { meta } = entry.article;
  if (meta.date) {
    const year = meta.date.iso.slice(0, 4);
    visit('years', year, year);
    if (meta.date.precision !== 'year') visit('months', `${year}/${meta.date.iso.slice(5, 7)}`, meta.date.iso.slice(0, 7));
  }
  for (const place of entry.places) visit('places', place.id, place.name);
  for (const tag of meta.tags) visit('tags', slugOf(tag), tag);
  for (const credit of meta.byline) visit('authors', slugOf(credit.name), credit.name);
}

const KINDS: readonly TaxonomyKind[] = ['years', 'months', 'places', 'tags', 'authors'];

/**
 * Groups an edition's entries (already newest first) by every term they
 * carry; an entry is listed once under a term however often it names it.
 * Terms are sorted: years and months newest first, the others by the
 * number of articles, then by name.
 */
export function collectTerms(entries: readonly ArchiveEntry[]): Map<TaxonomyKind, Term[]> {
  const bySlug: Record<TaxonomyKind, Map<string, Term>> = { years: new Map(), months: new Map(), places: new Map(), tags: new Map(), authors: new Map() };
  for (const entry of entries) {
    forEachTerm(entry, (kind, slug, name) => {
      const found = bySlug[kind].get(slug);
      if (!found) bySlug[kind].set(slug, { kind, slug, name, entries: [entry] });
      else if (found.entries[found.entries.length - 1] !== entry) found.entries.push(entry);
    });
  }
  const newestFirst = (a: Term, b: Term): number => (a.slug < b.slug ? 1 : -1);
  const largestFirst = (a: Term, b: Term): number => b.entries.length - a.entries.length || (a.name < b.name ? -1 : 1);
  return new Map(KINDS.map((kind) => [kind, [...bySlug[kind].values()].sort(kind === 'years' || kind === 'months' ? newestFirst : largestFirst)]));
}

/**
 * The listing pages of every edition: the front page, then per taxonomy an
 * index of its terms and a paginated listing per term. A term page's
 * equivalents are the same term in the other editions (the same place, the
 * same year), where there is one.
 */
/**
 * The listing plans of the previous build, per listing, so that a rebuild
 * reuses the plans (objects and all) of every listing whose articles did not
 * change — after one edit, nearly all of them.
 */
export type ListingCache = Map<string, { readonly entries: readonly ArchiveEntry[]; readonly alternates: string; readonly plans: PagePlan[] }>;

export function planTaxonomies(archive: Archive, config: Config, cache: ListingCache = new Map()): PagePlan[] {
  const termsByLanguage = new Map(config.languages.map((language) => [language.code, collectTerms(archive.editions.get(language.code) ?? [])]));
  // Which term slugs each edition has, to link a term page to the same term elsewhere without a search per term.
  const slugsByLanguage = new Map(
    [...termsByLanguage].map(([code, kinds]) => [code, new Map([...kinds].map(([kind, terms]) => [kind, new Set(terms.map((term) => term.slug))]))]),
  );
  const plans: PagePlan[] = [];
  const front = config.languages.map((language) => ({ language, url: `/${language.path}/` }));
  for (const language of config.languages) {
    const entries = archive.editions.get(language.code) ?? [];
    const frontPage = { language, baseUrl: `/${language.path}/`, template: 'index.njk', entries, alternates: front, listing: { kind: 'front', term: null } } as const;
    plans.push(...listingPages(frontPage, config, cache));
    const terms = termsByLanguage.get(language.code);
    if (!terms) continue;
    for (const kind of ['years', 'places', 'tags', 'authors'] as const) {
      const indexUrl = `/${language.path}/${TAXONOMY_PATHS[kind]}/`;
      const indexAlternates = config.languages.map((other) => ({ language: other, url: `/${other.path}/${TAXONOMY_PATHS[kind]}/` }));
      const listed = (terms.get(kind) ?? []).map((term) => ({ kind, slug: term.slug, name: term.name, count: term.entries.length, url: termUrl(language, kind, term.slug) }));
      const months = kind === 'years' ? (terms.get('months') ?? []).map((term) => ({ slug: term.slug, name: term.name, count: term.entries.length, url: termUrl(language, 'months', term.slug) })) : [];
      plans.push({
        kind: 'terms',
        url: indexUrl,
        template: 'terms.njk',
        language,
        alternates: indexAlternates,
        data: { kind, terms: listed, months },
        identity: [kind, ...listed.flatMap((term) => [term.slug, term.name, term.count]), ...months.flatMap((month) => [month.slug, month.count])],
      });
    }
    for (const kind of ['years', 'months', 'places', 'tags', 'authors'] as const) {
      for (const term of terms.get(kind) ?? []) {
        const alternates = config.languages.map((other) => ({
          language: other,
          url: slugsByLanguage.get(other.code)?.get(kind)?.has(term.slug) ? termUrl(other, kind, term.slug) : null,
        }));
        const listing = { kind, term: { slug: term.slug, name: term.name } };
        const spec = { language, baseUrl: termUrl(language, kind, term.slug), template: 'listing.njk', entries: term.entries, alternates, listing };
        plans.push(...listingPages(spec, config, cache));
      }
    }
  }
  return plans;
}

/** One listing to paginate: whose, where, with what template, of which entries. */
interface ListingSpec {
  readonly language: Language;
  readonly baseUrl: string;
  readonly template: string;
  readonly entries: readonly ArchiveEntry[];
  readonly alternates: readonly Alternate[];
  readonly listing: { readonly kind: TaxonomyKind | 'front'; readonly term: { readonly slug: string; readonly name: string } | null };
}

/** A listing's pages, from the cache while its entries and alternates are the same. */
function listingPages(spec: ListingSpec, config: Config, cache: ListingCache): PagePlan[] {
  const { baseUrl, template, entries, alternates, listing } = spec;
  const cacheKey = `${baseUrl}\0${template}\0${listing.term?.name ?? ''}`;
  const alternatesKey = alternates.map((alternate) => alternate.url ?? '').join(' ');
  const cached = cache.get(cacheKey);
  if (cached && cached.alternates === alternatesKey && cached.entries.length === entries.length && cached.entries.every((entry, index) => entry === entries[index])) {
    return cached.plans;
  }
  const plans = paginateListing(spec, config);
  cache.set(cacheKey, { entries: [...entries], alternates: alternatesKey, plans });
  return plans;
}

function paginateListing({ language, baseUrl, template, entries, alternates, listing }: ListingSpec, config: Config): PagePlan[] {
  const switcher = alternates.map((alternate) => ({ ...alternate, url: alternate.url ?? `/${alternate.language.path}/` }));
  return paginate(entries, config.pageSize, baseUrl).map((page): PagePlan => ({
    kind: listing.kind === 'front' ? 'front' : 'listing',
    url: page.url,
    template,
    language,
    // Page 3 of one edition lists other articles than page 3 of another: only first pages are equivalents.
    alternates: page.number === 1 ? alternates : [],
    switcher,
    data: { listing, entries: page.items.map(cardOf), total: entries.length, pagination: page.pagination },
    identity: [template, listing.kind, listing.term?.name, entries.length, ...page.items],
  }));
}
