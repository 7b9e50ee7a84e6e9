import type { Config } from '../model/config.js';
import { BroadsheetError } from '../diagnostics/error.js';
import { formatArticleDate, formatNumber } from '../i18n/format.js';
import { translate } from '../i18n/strings.js';
import { foldDirection, foldUrl } from '../i18n/search-fold.js';
import type { Catalogue } from '../model/catalogue.js';
import { alignArticles } from '../structure/alignment.js';
import { parallelPartner } from '../structure/archive.js';
import type { Archive, ArchiveEntry, ArticleCard, ArticleGroup } from '../model/archive.js';
import { cardOf } from '../structure/card.js';
import { termSlug } from '../structure/places.js';
import { FEED_FORMATS, feedUrl, renderFeed } from './feeds.js';
import { isSiteFile, type Alternate, type FeedFormat, type OutputFile, type PagePlan, type SiteFilePlan, type TaxonomyKind, type TemplatePlan } from '../model/page.js';
import { renderNewsSitemap, renderRobots, renderSitemap, renderSitemapIndex, splitSitemap } from './sitemap.js';
import { newsArticle, scriptSafeJson } from './structured-data.js';
import { planTaxonomies, termUrl, type ListingCache } from './listings.js';
import type { ArticleDate } from '../model/article.js';
import type { TemplateRenderer } from './templates.js';
import { absoluteUrl, basePathOf } from './absolute-url.js';

/**
 * The pages that list articles: the language chooser, each edition's front
 * page and taxonomy listings, the search pages (given the URLs of each
 * edition's search bundles) and the feeds.
 */
export function planListings(archive: Archive, config: Config, searchBundles: SearchBundles, cache?: ListingCache): PagePlan[] {
  const editions = config.languages.map((language) => ({ language, url: `/${language.path}/`, count: archive.editions.get(language.code)?.length ?? 0 }));
  const notFound = config.languages.map((language) => ({ language, url: `/${language.path}/404.html` }));
  return [
    { kind: 'home', url: '/', template: 'home.njk', language: config.sourceLanguage, alternates: [], data: { editions }, identity: editions.map((edition) => edition.count) },
    { kind: 'not-found', url: '/404.html', template: '404.njk', language: config.sourceLanguage, alternates: [], data: { editions }, identity: [], rootRelative: true },
    ...config.languages.map((language): PagePlan => ({
      kind: 'not-found',
      url: `/${language.path}/404.html`,
      template: '404.njk',
      language,
      alternates: [],
      switcher: notFound,
      data: {},
      identity: [],
      rootRelative: true,
    })),
    ...(config.search ? planSearchPages(config, searchBundles) : []),
    ...planFeeds(archive, config),
    ...planTaxonomies(archive, config, cache),
  ];
}

/** Atom, RSS and JSON feeds of each edition's newest articles. */
export function planFeeds(archive: Archive, config: Config): PagePlan[] {
  return config.languages.flatMap((language) => {
    const latest: ArchiveEntry[] = [];
    for (const entry of archive.editions.get(language.code) ?? []) {
      if (latest.length >= config.feedSize) break;
      if (entry.article.meta.date) latest.push(entry);
    }
    return (Object.keys(FEED_FORMATS) as FeedFormat[]).map((format): PagePlan => ({
      kind: 'feed',
      format,
      url: feedUrl(language, format),
      template: `feed:${format}`,
      language,
      alternates: [],
      data: { entries: latest },
      identity: latest,
    }));
  });
}

/**
 * The files about the whole site: the sitemap (`sitemap.xml`, an index of
 * one file per edition and top-level folder listing every page a reader
 * lands on, with its language alternates), the Google News sitemap and
 * `robots.txt`.
 */
export function planSiteFiles(archive: Archive, pages: readonly PagePlan[], config: Config): PagePlan[] {
  const listed = pages
    .filter((page) => !isSiteFile(page) && page.kind !== 'not-found' && page.kind !== 'search')
    .map((page) => ({ url: page.url, alternates: page.alternates }))
    // Plans come in archive order, which differs between a fresh build and a rebuild; the file must not.
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  // The sitemap changes only when pages come, go or gain translations, not when their text changes.
  const recent = recentEntries([...archive.editions.values()].flat());
  const language = config.sourceLanguage;
  const parts = splitSitemap(listed);
  const files = parts.map((part) => part.url);
  return [
    { kind: 'sitemap-index', url: '/sitemap.xml', template: 'sitemap-index', language, alternates: [], data: { files }, identity: [files.join(' ')] },
    ...parts.map((part): PagePlan => ({
      kind: 'sitemap',
      url: part.url,
      template: 'sitemap',
      language,
      alternates: [],
      data: { pages: part.pages },
      identity: part.pages.flatMap((page) => [page.url, alternatesKey(page.alternates)]),
    })),
    { kind: 'sitemap-news', url: '/sitemap-news.xml', template: 'sitemap-news', language, alternates: [], data: { entries: recent }, identity: recent },
    { kind: 'robots', url: '/robots.txt', template: 'robots', language, alternates: [], data: {}, identity: [] },
  ];
}

// All pages of one article share one alternates array; it is described once.
const alternateKeys = new WeakMap<readonly Alternate[], string>();

/** The languages and URLs of a page's alternates in one string, to compare and sign. */
export function alternatesKey(alternates: readonly Alternate[]): string {
  let key = alternateKeys.get(alternates);
  if (key === undefined) {
    key = alternates.map((alternate) => `${alternate.language.code}=${alternate.url ?? ''}`).join(' ');
    alternateKeys.set(alternates, key);
  }
  return key;
}

/**
 * Articles for the Google News sitemap: dated to the day, within the two days
 * up to the newest such date (the archive's "now", so the output does not
 * depend on when it is built).
 */
export function recentEntries(entries: readonly ArchiveEntry[]): ArchiveEntry[] {
  const dayPrecise = entries.filter((entry) => entry.article.meta.date?.precision === 'day');
  const newest = dayPrecise.reduce((latest, entry) => ((entry.article.meta.date?.sortKey ?? '') > latest ? (entry.article.meta.date?.sortKey ?? '') : latest), '');
  if (!newest) return [];
  const cutoff = new Date(Date.parse(`${newest}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10);
  return dayPrecise.filter((entry) => (entry.article.meta.date?.sortKey ?? '') > cutoff);
}

/** A search page per edition: it searches that edition's shards (see search/shards.ts), the first loaded and the others merged. */
function planSearchPages(config: Config, searchBundles: SearchBundles): PagePlan[] {
  const alternates = config.languages.map((language) => ({ language, url: `/${language.path}/search/` }));
  return config.languages.map((language) => {
    const bundles = searchBundles.get(language.code) ?? [];
    const fold = foldDirection(language, config) ? foldUrl(language) : null;
    return { kind: 'search', url: `/${language.path}/search/`, template: 'search.njk', language, alternates, data: { bundles, fold }, identity: [bundles.join(' '), fold] };
  });
}

/** The URLs of each edition's search bundles, by language code: the first is loaded, the others merged. */
export type SearchBundles = ReadonlyMap<string, readonly string[]>;

/** Where each entry sits in its edition: the articles before (newer) and after (older) it. */
export type Neighbours = ReadonlyMap<ArchiveEntry, { readonly newer: ArchiveEntry | null; readonly older: ArchiveEntry | null }>;

/** The neighbours of every entry in its edition's list. */
export function findNeighbours(archive: Archive): Map<ArchiveEntry, { newer: ArchiveEntry | null; older: ArchiveEntry | null }> {
  const neighbours = new Map<ArchiveEntry, { newer: ArchiveEntry | null; older: ArchiveEntry | null }>();
  for (const entries of archive.editions.values()) {
    entries.forEach((entry, index) => neighbours.set(entry, { newer: entries[index - 1] ?? null, older: entries[index + 1] ?? null }));
  }
  return neighbours;
}

/** The pages of one article: each edition, and each edition's parallel view. */
export function planArticle(group: ArticleGroup, config: Config, neighbours: Neighbours): PagePlan[] {
  const alternates = config.languages.map((language) => ({ language, url: group.editions.get(language.code)?.url ?? null }));
  const parallelUrl = (edition: ArchiveEntry | undefined): string | null =>
    edition && parallelPartner(group, edition) ? `${edition.url}parallel/` : null;
  const parallelAlternates = config.languages.map((language) => ({ language, url: parallelUrl(group.editions.get(language.code)) }));
  const plans: PagePlan[] = [];
  for (const entry of group.editions.values()) {
    const partner = parallelPartner(group, entry);
    const parallel = partner ? `${entry.url}parallel/` : null;
    const derivedFrom = entry.derived ? group.source : null;
    plans.push({
      kind: 'article',
      url: entry.url,
      template: 'article.njk',
      language: entry.language,
      alternates,
      data: {
        entry,
        article: entry.article,
        parallel,
        partner: cardOrNull(partner),
        derivedFrom: cardOrNull(derivedFrom),
        newer: cardOrNull(neighbours.get(entry)?.newer),
        older: cardOrNull(neighbours.get(entry)?.older),
      },
    });
    if (partner && parallel) {
      plans.push({
        kind: 'parallel',
        url: parallel,
        template: 'parallel.njk',
        language: entry.language,
        alternates: parallelAlternates,
        data: { entry, article: entry.article, partner },
      });
    }
  }
  return plans;
}

function cardOrNull(entry: ArchiveEntry | null | undefined): ArticleCard | null {
  return entry ? cardOf(entry) : null;
}

/** Everything the templates see besides the page's own data. */
export interface RenderContext {
  readonly config: Config;
  readonly catalogues: ReadonlyMap<string, Catalogue>;
  readonly templates: TemplateRenderer;
  /** Site-relative URL of the stylesheet, with a content hash for cache busting. */
  readonly stylesheet: string;
}

/**
 * Renders one planned page to HTML.
 *
 * @throws {BroadsheetError} for template and catalogue problems, placed in the template.
 */
export function renderPage(plan: PagePlan, context: RenderContext): OutputFile {
  if (isSiteFile(plan)) return { path: outputPath(plan.url), contents: renderSiteFile(plan, context) };
  return renderTemplatePage(plan, templateData(plan, context), context.templates);
}

/** Renders a page of a template with the data {@link templateData} gave it. */
export function renderTemplatePage(plan: TemplatePlan, data: TemplateData, templates: TemplateRenderer): OutputFile {
  return { path: outputPath(plan.url), contents: templates.render(plan.template, data) };
}

/** What a page's template sees: its plan's data, the helpers, and the site's and the page's own values. */
export type TemplateData = Readonly<Record<string, unknown>>;

/**
 * The data a page's template renders with. It depends on the plan, the
 * configuration, the catalogue of the page's language and the stylesheet's
 * URL, not on the templates: a render thread that keeps a plan between
 * builds keeps this too (render-workers/worker.ts). Nunjucks gives each
 * render a copy of it, so a template's `set` never changes it.
 */
export function templateData(plan: TemplatePlan, context: Omit<RenderContext, 'templates'>): TemplateData {
  const catalogue = context.catalogues.get(plan.language.code);
  if (!catalogue) throw new Error(`Internal error: no catalogue loaded for ${plan.language.code}`);
  const locale = plan.language.locale;
  const baseUrl = context.config.baseUrl;
  const absolute = (url: string): string | null => (baseUrl ? absoluteUrl(baseUrl, url) : null);
  // A 404 page is served at whatever address was missing, so its links cannot be relative.
  const basePath = baseUrl ? basePathOf(baseUrl) : '/';
  const link = plan.rootRelative ? (target: string) => `${basePath}${target.slice(1)}` : (target: string) => relativeUrl(plan.url, target);
  const helpers = {
    t: (key: string, params?: Record<string, unknown>) => translate(catalogue, key, params),
    rel: link,
    /** A path from the site's root, for scripts that resolve URLs against their own location (Pagefind's bundles). */
    rootPath: (target: string) => `${basePath}${target.slice(1)}`,
    formatYear: (year: string) => formatArticleDate({ iso: year, precision: 'year', sortKey: `${year}-01-01` }, locale),
    formatMonth: (month: string) => formatArticleDate({ iso: month, precision: 'month', sortKey: `${month}-01` }, locale),
    formatDate: (date: ArticleDate | null) => (date ? formatArticleDate(date, locale) : ''),
    formatNumber: (value: number) => formatNumber(value, locale),
    /** Link to a taxonomy page of this edition: `termLink('authors', '张柯')`, `termLink('places', 'meijiang', true)`. */
    termLink: (kind: TaxonomyKind, name: string, isSlug = false) => link(termUrl(plan.language, kind, isSlug ? name : termSlug(name))),
  };
  return {
    ...helpers,
    ...plan.data,
    ...derivedData(plan, context.config),
    site: { title: context.config.titles[plan.language.code] ?? '', languages: context.config.languages, baseUrl: context.config.baseUrl, search: context.config.search },
    lang: plan.language,
    page: {
      url: plan.url,
      ogLocale: ogLocale(plan.language.locale),
      ogAlternates: plan.alternates.filter((alternate) => alternate.url && alternate.language !== plan.language).map((alternate) => ogLocale(alternate.language.locale)),
      canonical: absolute(plan.url),
      hreflang: hreflangLinks(plan, context.config, absolute),
      switcher: (plan.switcher ?? plan.alternates).filter((alternate) => alternate.language !== plan.language),
      feeds: (Object.keys(FEED_FORMATS) as FeedFormat[]).map((format) => ({
        type: FEED_FORMATS[format].type,
        title: `${context.config.titles[plan.language.code] ?? ''} (${FEED_FORMATS[format].label})`,
        href: absolute(feedUrl(plan.language, format)) ?? link(feedUrl(plan.language, format)),
      })),
    },
    stylesheet: link(context.stylesheet),
  };
}

/**
 * Data worked out from a plan only when its page is rendered (a pure
 * function of the plan), so that deciding whether a page changed stays
 * cheap, and a plan stays plain data that a worker thread can be sent.
 */
function derivedData(plan: PagePlan, config: Config): Readonly<Record<string, unknown>> {
  if (plan.kind === 'article') return { jsonLd: scriptSafeJson(newsArticle(plan.data.entry, plan.alternates, config)) };
  if (plan.kind === 'parallel') return { rows: alignArticles(plan.data.article, plan.data.partner.article) };
  return {};
}

/**
 * `<link rel="alternate" hreflang>` targets: every existing language version
 * of the page, itself included, plus `x-default` for the source language's
 * version. Absolute when a base URL is configured, as search engines require.
 */
function hreflangLinks(plan: PagePlan, config: Config, absolute: (url: string) => string | null): { hreflang: string; href: string }[] {
  const existing = plan.alternates.filter((alternate): alternate is Alternate & { url: string } => alternate.url !== null);
  if (existing.length < 2) return [];
  const href = (url: string): string => absolute(url) ?? relativeUrl(plan.url, url);
  const fallback = existing.find((alternate) => alternate.language === config.sourceLanguage) ?? existing[0];
  return [
    ...existing.map((alternate) => ({ hreflang: alternate.language.code, href: href(alternate.url) })),
    ...(fallback ? [{ hreflang: 'x-default', href: href(fallback.url) }] : []),
  ];
}

/** Open Graph wants `zh_CN`-style locales: `zh-Hans` → `zh_CN`, `zh-Hant` → `zh_TW`, `en-GB` → `en_GB`. */
function ogLocale(locale: string): string {
  const lower = locale.toLowerCase();
  if (lower === 'zh-hans' || lower === 'zh-cn') return 'zh_CN';
  if (lower === 'zh-hant' || lower === 'zh-tw') return 'zh_TW';
  const [language = lower, region] = locale.split('-');
  return region ? `${language}_${region.toUpperCase()}` : language;
}

/** Feeds, sitemaps and robots.txt: made by code, not templates; one renderer per kind. */
const SITE_FILE_RENDERERS: { readonly [K in SiteFilePlan['kind']]: (plan: Extract<SiteFilePlan, { kind: K }>, config: Config) => string } = {
  feed: (plan, config) => renderFeed(plan.format, plan.language, plan.data.entries, config.titles[plan.language.code] ?? '', config),
  'sitemap-index': (plan, config) => renderSitemapIndex(plan.data.files, config),
  sitemap: (plan, config) => renderSitemap(plan.data.pages, config),
  'sitemap-news': (plan, config) => renderNewsSitemap(plan.data.entries, config, config.titles),
  robots: (_plan, config) => renderRobots(config),
};

function renderSiteFile(plan: SiteFilePlan, context: RenderContext): string {
  const render = SITE_FILE_RENDERERS[plan.kind] as (plan: SiteFilePlan, config: Config) => string;
  return render(plan, context.config);
}

/** `/zh-hans/2019/report/` → `zh-hans/2019/report/index.html`. */
export function outputPath(url: string): string {
  if (!url.startsWith('/') || url.split('/').some((part) => part === '..' || part === '.')) {
    throw new BroadsheetError('BS402', `the URL ${url} would leave the output folder`);
  }
  return url.endsWith('/') ? `${url.slice(1)}index.html` : url.slice(1);
}

/**
 * A link from one page to another that works wherever the site is
 * mounted, under a sub-path or from a plain file server. Both are
 * site-relative URLs without `.` or `..` segments (see `outputPath`), so the
 * link is worked out on their segments; every page makes dozens of links,
 * and a general path resolver was 5 % of rendering.
 */
export function relativeUrl(from: string, to: string): string {
  const fromFolder = from.slice(0, from.lastIndexOf('/') + 1);
  // The end of the deepest folder both are in: their common prefix up to its last `/`, or `to` itself
  // when it names that folder without its slash.
  let shared = 0;
  let at = 0;
  while (at < fromFolder.length && at < to.length && fromFolder.charCodeAt(at) === to.charCodeAt(at)) if (fromFolder.charCodeAt(at++) === SLASH) shared = at;
  if (at === to.length && fromFolder.charCodeAt(at) === SLASH) shared = at + 1;
  let up = 0;
  for (let index = shared; index < fromFolder.length; index++) if (fromFolder.charCodeAt(index) === SLASH) up++;
  const relative = '../'.repeat(up) + to.slice(shared);
  if (relative === '') return './';
  return relative.endsWith('/') && !to.endsWith('/') ? relative.slice(0, -1) : relative;
}

const SLASH = 0x2f;
