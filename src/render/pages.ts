import path from 'node:path/posix';
import type { Config, Language } from '../config/load-config.js';
import { BroadsheetError } from '../diagnostics/error.js';
import { formatArticleDate, formatNumber } from '../i18n/format.js';
import { translate, type Catalogue } from '../i18n/strings.js';
import type { Archive, ArchiveEntry } from '../structure/archive.js';
import type { ArticleDate } from '../types.js';
import type { TemplateRenderer } from './templates.js';

/** A page to write: its site-relative URL, the template and the data it needs. */
export interface PagePlan {
  readonly url: string;
  readonly template: string;
  readonly language: Language;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A rendered file: path inside the output folder and its contents. */
export interface OutputFile {
  readonly path: string;
  readonly contents: string | Uint8Array;
}

/** Lists every page of the site: the language chooser, each edition's index, each article. */
export function planPages(archive: Archive, config: Config): PagePlan[] {
  const plans: PagePlan[] = [
    {
      url: '/',
      template: 'home.njk',
      language: config.sourceLanguage,
      data: { editions: config.languages.map((language) => ({ language, url: `/${language.path}/`, count: archive.editions.get(language.code)?.length ?? 0 })) },
    },
  ];
  for (const language of config.languages) {
    const entries = archive.editions.get(language.code) ?? [];
    plans.push({ url: `/${language.path}/`, template: 'index.njk', language, data: { entries } });
    for (const entry of entries) plans.push({ url: entry.url, template: 'article.njk', language, data: { entry, article: entry.article } });
  }
  return plans;
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
  const catalogue = context.catalogues.get(plan.language.code);
  if (!catalogue) throw new Error(`Internal error: no catalogue loaded for ${plan.language.code}`);
  const locale = plan.language.locale;
  const helpers = {
    t: (key: string, params?: Record<string, unknown>) => translate(catalogue, key, params),
    rel: (target: string) => relativeUrl(plan.url, target),
    formatDate: (date: ArticleDate | null) => (date ? formatArticleDate(date, locale) : ''),
    formatNumber: (value: number) => formatNumber(value, locale),
  };
  const html = context.templates.render(plan.template, {
    ...helpers,
    ...plan.data,
    site: { title: context.config.titles[plan.language.code] ?? '', languages: context.config.languages, baseUrl: context.config.baseUrl },
    lang: plan.language,
    page: { url: plan.url, canonical: context.config.baseUrl ? new URL(plan.url.slice(1), context.config.baseUrl).href : null },
    stylesheet: relativeUrl(plan.url, context.stylesheet),
  });
  return { path: outputPath(plan.url), contents: html };
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
 * mounted, under a sub-path or from a plain file server.
 */
export function relativeUrl(from: string, to: string): string {
  const fromDir = from.endsWith('/') ? from : path.dirname(from) + '/';
  const relative = path.relative(fromDir, to);
  if (relative === '') return './';
  return to.endsWith('/') && !relative.endsWith('/') ? `${relative}/` : relative;
}
