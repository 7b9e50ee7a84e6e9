import type { Config } from '../config/load-config.js';
import type { ArchiveEntry } from '../structure/archive.js';
import type { PagePlan } from './pages.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

/**
 * `sitemap.xml`: every page a reader can land on (not 404 or search pages),
 * each with `xhtml:link` alternates for its equivalents in other languages.
 * URLs are absolute, under the configured base URL.
 */
export function renderSitemap(pages: readonly Pick<PagePlan, 'url' | 'alternates'>[], config: Config): string {
  const absolute = absoluteUrl(config);
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
  const absolute = absoluteUrl(config);
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
  const absolute = absoluteUrl(config);
  return ['User-agent: *', 'Allow: /', '', `Sitemap: ${absolute('/sitemap.xml')}`, `Sitemap: ${absolute('/sitemap-news.xml')}`, ''].join('\n');
}

function absoluteUrl(config: Config): (url: string) => string {
  const base = config.baseUrl ?? 'https://localhost/';
  return (url) => new URL(url.slice(1), base).href;
}
