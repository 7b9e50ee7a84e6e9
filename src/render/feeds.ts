import { Feed } from 'feed';
import type { Config, Language } from '../config/load-config.js';
import type { ArchiveEntry } from '../structure/archive.js';
import type { RenderedArticle } from '../types.js';

/** The three feed formats every edition publishes. */
export const FEED_FORMATS = {
  atom: { file: 'feed.xml', type: 'application/atom+xml', label: 'Atom' },
  rss: { file: 'rss.xml', type: 'application/rss+xml', label: 'RSS' },
  json: { file: 'feed.json', type: 'application/feed+json', label: 'JSON Feed' },
} as const;

export type FeedFormat = keyof typeof FEED_FORMATS;

/** `/en/feed.xml`. */
export function feedUrl(language: Language, format: FeedFormat): string {
  return `/${language.path}/${FEED_FORMATS[format].file}`;
}

/**
 * One edition's feed in one format, made with the `feed` library: the newest
 * dated articles, each with its full text or its lead as configured. Dates
 * come from the articles, never the clock, so the same archive gives the
 * same bytes.
 */
export function renderFeed(format: FeedFormat, language: Language, entries: readonly ArchiveEntry[], siteTitle: string, config: Config): string {
  const base = config.baseUrl ?? 'https://localhost/';
  const absolute = (url: string): string => new URL(url.slice(1), base).href;
  const dated = entries.filter((entry) => entry.article.meta.date !== null).slice(0, config.feedSize);
  const newest = dated[0]?.article.meta.date;
  const feed = new Feed({
    title: siteTitle,
    id: absolute(`/${language.path}/`),
    link: absolute(`/${language.path}/`),
    language: language.code,
    updated: newest ? new Date(`${newest.sortKey}T00:00:00Z`) : new Date(0),
    generator: 'broadsheet',
    copyright: siteTitle,
    feedLinks: Object.fromEntries(Object.keys(FEED_FORMATS).map((key) => [key, absolute(feedUrl(language, key as FeedFormat))])),
  });
  for (const entry of dated) {
    const { meta } = entry.article;
    const date = new Date(`${meta.date?.sortKey ?? '1970-01-01'}T00:00:00Z`);
    feed.addItem({
      // Atom declares item titles as HTML; a title is text, so its markup characters are escaped.
      title: escapeHtml(meta.title),
      id: absolute(entry.url),
      link: absolute(entry.url),
      date,
      published: date,
      description: entry.article.summary.excerpt,
      content: config.feedContent === 'full' ? articleHtml(entry.article) : undefined,
      // The library's JSON Feed writer fails on an empty author list, so leave it out then.
      author: meta.byline.length > 0 ? meta.byline.map((credit) => ({ name: credit.role ? `${credit.name} (${credit.role})` : credit.name })) : undefined,
      category: [...entry.places.map((place) => ({ name: place.name })), ...meta.tags.map((tag) => ({ name: tag }))],
    });
  }
  return format === 'atom' ? feed.atom1() : format === 'rss' ? feed.rss2() : feed.json1();
}

/** The article body as one HTML fragment: lead, then each section with its headings. */
export function articleHtml(article: RenderedArticle): string {
  const parts = article.lead.map((block) => block.content);
  for (const section of article.sections) {
    parts.push(`<h2>${escapeHtml(section.heading)}</h2>`);
    if (section.subheading) parts.push(`<p><strong>${escapeHtml(section.subheading)}</strong></p>`);
    parts.push(...section.blocks.map((block) => block.content));
  }
  return parts.join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char);
}
