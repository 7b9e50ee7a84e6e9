import { Feed, type Item } from 'feed';
import type { Config, Language } from '../model/config.js';
import type { FeedFormat } from '../model/page.js';
import type { ArchiveEntry } from '../model/archive.js';
import type { RenderedArticle } from '../model/article.js';
import { escapeHtml, xmlSafe } from './escape.js';
import { absoluteBase, absoluteUrl } from './absolute-url.js';

/** The three feed formats every edition publishes. */
export const FEED_FORMATS = {
  atom: { file: 'feed.xml', type: 'application/atom+xml', label: 'Atom' },
  rss: { file: 'rss.xml', type: 'application/rss+xml', label: 'RSS' },
  json: { file: 'feed.json', type: 'application/feed+json', label: 'JSON Feed' },
} as const satisfies Record<FeedFormat, { file: string; type: string; label: string }>;

/** `/en/feed.xml`. */
export function feedUrl(language: Language, format: FeedFormat): string {
  return `/${language.path}/${FEED_FORMATS[format].file}`;
}

/**
 * One edition's feed in one format, made with the `feed` library: the newest
 * dated articles, each with its full text or its lead as configured. Dates
 * come from the articles, never the clock, so the same archive gives the
 * same bytes.
 *
 * What a reader's feed program receives is held to what the page shows:
 * - bodies are the page's own sanitised HTML, block by block;
 * - summaries are the plain-text excerpt, escaped where the format declares
 *   HTML (Atom `summary type="html"`, RSS `description`), never markup;
 * - titles are text: escaped in Atom (which declares them HTML) and RSS
 *   (whose readers mostly treat them as HTML), plain in JSON Feed, whose
 *   specification says titles are plain text;
 * - characters XML cannot carry (most control characters) are left out of
 *   the XML formats, so that every feed stays well-formed.
 */
export function renderFeed(format: FeedFormat, language: Language, entries: readonly ArchiveEntry[], siteTitle: string, config: Config): string {
  const base = absoluteBase(config);
  const absolute = (url: string): string => absoluteUrl(base, url);
  const dated = entries.filter((entry) => entry.article.meta.date !== null).slice(0, config.feedSize);
  const newest = dated[0]?.article.meta.date;
  const text = format === 'json' ? (value: string) => value : xmlSafe;
  const feed = new Feed({
    title: text(siteTitle),
    id: absolute(`/${language.path}/`),
    link: absolute(`/${language.path}/`),
    language: language.code,
    updated: newest ? new Date(`${newest.sortKey}T00:00:00Z`) : new Date(0),
    generator: 'broadsheet',
    copyright: text(siteTitle),
    feedLinks: Object.fromEntries(Object.keys(FEED_FORMATS).map((key) => [key, absolute(feedUrl(language, key as FeedFormat))])),
  });
  for (const entry of dated) feed.addItem(feedItem(format, entry, absolute, config));
  if (format === 'json') return feed.json1();
  return format === 'atom' ? escapeAtomAttributes(feed.atom1()) : feed.rss2();
}

/** One article as a feed item in the given format (see {@link renderFeed} for what each field carries). */
function feedItem(format: FeedFormat, entry: ArchiveEntry, absolute: (url: string) => string, config: Config): Item {
  const { meta, summary } = entry.article;
  const text = format === 'json' ? (value: string) => value : xmlSafe;
  const html = format === 'json' ? (value: string) => escapeHtml(value) : (value: string) => escapeHtml(xmlSafe(value));
  const date = new Date(`${meta.date?.sortKey ?? '1970-01-01'}T00:00:00Z`);
  return {
    title: format === 'json' ? meta.title : html(meta.title),
    id: absolute(entry.url),
    link: absolute(entry.url),
    date,
    published: date,
    description: format === 'json' ? summary.excerpt : html(summary.excerpt),
    content: config.feedContent === 'full' ? cdataSafe(text(articleHtml(entry.article))) : undefined,
    // The library's JSON Feed writer fails on an empty author list, so leave it out then.
    author: meta.byline.length > 0 ? meta.byline.map((credit) => ({ name: text(credit.role ? `${credit.name} (${credit.role})` : credit.name) })) : undefined,
    // Atom requires a category's term; the name is both term and label.
    category: [...entry.places.map((place) => place.name), ...meta.tags].map((name) => ({ name: text(name), term: text(name) })),
  };
}

/**
 * HTML that a CDATA section can hold whole. The `feed` library splits a
 * CDATA section at the first `]]>` of its text but not at the ones after it,
 * which ends the section early and breaks the XML; in HTML, `]]&gt;` is the
 * same text.
 */
function cdataSafe(html: string): string {
  return html.replaceAll(']]>', ']]&gt;');
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

/**
 * The `feed` library escapes `&` and `"` in attribute values but leaves `<`
 * as it is, which is not well-formed XML (`<category label="x<y"/>`). Its
 * Atom output puts attribute values only on empty elements of its own
 * (`category`, `link`), whose values never hold a `"`, so those are mended
 * here. Element text and CDATA sections are left alone.
 */
function escapeAtomAttributes(xml: string): string {
  return xml.replace(/<(category|link)((?:\s+[a-z:]+="[^"]*")*)\s*\/>/g, (_tag, name: string, attributes: string) => {
    return `<${name}${attributes.replace(/="([^"]*)"/g, (_value, value: string) => `="${value.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`)}/>`;
  });
}
