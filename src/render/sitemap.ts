import type { Config } from '../model/config.js';
import type { ArchiveEntry } from '../model/archive.js';
import { escapeXml as xml } from './escape.js';
import { absoluteBase, absoluteUrl } from './absolute-url.js';
import type { PagePlan } from '../model/page.js';

/** The sitemap protocol's limit of URLs in one file (sitemaps.org). */
export const MAX_SITEMAP_URLS = 50_000;

/** One file of the split sitemap: its URL and the pages it lists. */
export interface SitemapPart<Page> {
  readonly url: string;
  readonly pages: readonly Page[];
}

/**
 * Splits the listed pages into sitemap files by the first two segments of
 * their URLs (`/zh-hans/2019/…` → `/sitemaps/zh-hans.2019.xml`), so that one
 * file stays far under the protocol's limits, and adding a report rewrites
 * the sitemap of its own folder and edition, not one file of every URL. A
 * part with more than `limit` pages is cut into numbered files
 * (`zh-hans.2019.2.xml`). URL segments are never empty and hold no dot, so
 * names cannot collide; the root page's file starts with `_` for the same
 * reason.
 */
export function splitSitemap<Page extends { readonly url: string }>(pages: readonly Page[], limit = MAX_SITEMAP_URLS): SitemapPart<Page>[] {
  const groups = new Map<string, Page[]>();
  for (const page of pages) {
    const name = page.url.split('/').filter((segment) => segment !== '').slice(0, 2).join('.') || '_root';
    const group = groups.get(name);
    if (group) group.push(page);
    else groups.set(name, [page]);
  }
  return [...groups].flatMap(([name, group]) => {
    const parts: SitemapPart<Page>[] = [];
    for (let start = 0; start < group.length; start += limit) {
      const number = start / limit + 1;
      parts.push({ url: `/sitemaps/${name}${number > 1 ? `.${number}` : ''}.xml`, pages: group.slice(start, start + limit) });
    }
    return parts;
  });
}

/** `sitemap.xml`: the index of the sitemap files, as crawlers and robots.txt find it. */
export function renderSitemapIndex(files: readonly string[], config: Config): string {
  const absolute = linksOn(config);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  for (const file of files) lines.push(`  <sitemap><loc>${xml(absolute(file))}</loc></sitemap>`);
  lines.push('</sitemapindex>', '');
  return lines.join('\n');
}

/**
 * One sitemap file: the pages a reader can land on (not 404 or search
 * pages), each with `xhtml:link` alternates for its equivalents in other
 * languages. URLs are absolute, under the configured base URL.
 */
export function renderSitemap(pages: readonly Pick<PagePlan, 'url' | 'alternates'>[], config: Config): string {
  const absolute = linksOn(config);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
  ];
  for (const page of pages) {
    lines.push(`  <url>`, `    <loc>${xml(absolute(page.url))}</loc>`);
    const alternates = page.alternates.filter((alternate) => alternate.url !== null);
    if (alternates.length > 1) {
      for (const alternate of alternates) {
        lines.push(`    <xhtml:link rel="alternate" hreflang="${xml(alternate.language.code)}" href="${xml(absolute(alternate.url ?? ''))}"/>`);
      }
    }
    lines.push('  </url>');
  }
  lines.push('</urlset>', '');
  return lines.join('\n');
}

/** Languages as Google News names them: ISO 639, with zh-cn and zh-tw for the two Chinese scripts. */
function newsLanguage(code: string): string {
  const lower = code.toLowerCase();
  if (lower === 'zh-hans' || lower === 'zh-cn') return 'zh-cn';
  if (lower === 'zh-hant' || lower === 'zh-tw') return 'zh-tw';
  return lower.split('-')[0] ?? lower;
}

/** The Google News sitemap of the given recent articles (see `recentEntries`). */
export function renderNewsSitemap(recent: readonly ArchiveEntry[], config: Config, siteTitles: Readonly<Record<string, string>>): string {
  const absolute = linksOn(config);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
  ];
  for (const entry of recent) {
    lines.push(
      '  <url>',
      `    <loc>${xml(absolute(entry.url))}</loc>`,
      '    <news:news>',
      '      <news:publication>',
      `        <news:name>${xml(siteTitles[entry.language.code] ?? '')}</news:name>`,
      `        <news:language>${newsLanguage(entry.language.code)}</news:language>`,
      '      </news:publication>',
      `      <news:publication_date>${entry.article.meta.date?.iso ?? ''}</news:publication_date>`,
      `      <news:title>${xml(entry.article.meta.title)}</news:title>`,
      '    </news:news>',
      '  </url>',
    );
  }
  lines.push('</urlset>', '');
  return lines.join('\n');
}

/** `robots.txt`: everything may be crawled; the sitemaps are named. */
export function renderRobots(config: Config): string {
  const absolute = linksOn(config);
  return ['User-agent: *', 'Allow: /', '', `Sitemap: ${absolute('/sitemap.xml')}`, `Sitemap: ${absolute('/sitemap-news.xml')}`, ''].join('\n');
}

function linksOn(config: Config): (url: string) => string {
  const base = absoluteBase(config);
  return (url) => absoluteUrl(base, url);
}
