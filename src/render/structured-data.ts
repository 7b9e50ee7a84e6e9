import type { Config } from '../model/config.js';
import type { ArchiveEntry } from '../model/archive.js';
import type { Alternate } from '../model/page.js';
import { absoluteUrl } from './absolute-url.js';

/**
 * schema.org `NewsArticle` for one edition of an article, with the links
 * between editions: a translation or derived edition names the original in
 * `translationOfWork`, the original lists its translations in `workTranslation`.
 */
export function newsArticle(entry: ArchiveEntry, alternates: readonly Alternate[], config: Config): Record<string, unknown> {
  const baseUrl = config.baseUrl;
  const absolute = (url: string): string => (baseUrl ? absoluteUrl(baseUrl, url) : url);
  const { meta } = entry.article;
  const isSource = entry.language === config.sourceLanguage;
  const original = alternates.find((alternate) => alternate.language === config.sourceLanguage)?.url ?? null;
  const others = alternates.filter((alternate) => alternate.url !== null && alternate.language !== entry.language);
  const siteTitle = config.titles[entry.language.code] ?? '';
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': absolute(entry.url),
    url: absolute(entry.url),
    mainEntityOfPage: absolute(entry.url),
    headline: meta.title,
    inLanguage: entry.language.code,
    author: meta.byline.map((credit) => ({ '@type': 'Person', name: credit.name, ...(credit.role ? { jobTitle: credit.role } : {}) })),
    isPartOf: { '@type': 'WebSite', name: siteTitle, url: absolute(`/${entry.language.path}/`) },
    publisher: { '@type': 'Organization', name: siteTitle },
    wordCount: entry.reading.count,
  };
  const alternative = meta.kicker ?? meta.subtitle;
  if (alternative) data.alternativeHeadline = alternative;
  if (meta.date) data.datePublished = meta.date.iso;
  const sections = [...entry.places.map((place) => place.name), ...meta.tags];
  if (sections.length > 0) data.articleSection = sections;
  if (meta.source) data.sourceOrganization = { '@type': 'Organization', name: meta.source };
  if (!isSource && original) data.translationOfWork = { '@id': absolute(original) };
  if (isSource && others.length > 0) data.workTranslation = others.map((alternate) => ({ '@id': absolute(alternate.url ?? ''), inLanguage: alternate.language.code }));
  return data;
}

/**
 * JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&`
 * are escaped so that no string in it — a title containing `</script>` —
 * can end the element early, and the line separators JavaScript dislikes are escaped too.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
