import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runBroadsheet } from '../helpers/cli.js';
import { fixtures } from '../helpers/paths.js';
import { writeCorpus } from '../helpers/corpus.js';
import { java, VNU_JAR } from '../helpers/tools.js';
import { validateXML } from 'xmllint-wasm';
import { xmlProblems } from '../helpers/wellformed.js';
import { brokenLinks, loadPages } from '../helpers/site.js';

/** The shipped archive, and a generated 45-article corpus with translations (three front pages), each built with the shipped templates. */
const sites: Record<string, string> = {};

async function buildSite(name: string, corpus: number): Promise<void> {
  // The shipped archive with its search page and bundles; the corpus without, as Pagefind writes no page.
  const project = await makeProject({ content: corpus === 0, search: corpus === 0 });
  if (corpus > 0) writeCorpus(path.join(project, 'content'), { articles: corpus, translations: true });
  const run = await runBroadsheet(['build'], project);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  sites[name] = path.join(project, 'dist');
}

const SITES = [
  ['the shipped archive', 0],
  ['a generated 45-article corpus', 45],
] as const;

beforeAll(async () => {
  for (const [name, corpus] of SITES) await buildSite(name, corpus);
}, 180_000);

// The Nu HTML Checker runs once over both sites: starting Java costs more than checking a site.
let checked: Promise<string[]> | null = null;
function nuHtmlErrors(): Promise<string[]> {
  checked ??= new Promise((resolve, reject) => {
    const java = spawn('java', ['-jar', VNU_JAR, '--errors-only', '--skip-non-html', '--also-check-css', '--format', 'text', ...Object.values(sites)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    java.stderr.on('data', (chunk: Buffer) => void (errors += chunk.toString()));
    java.on('error', reject);
    java.on('close', () => resolve(errors.split('\n').filter((line) => /: error:/.test(line))));
  });
  return checked;
}

// Each site's pages are parsed once, for every test that reads them.
const parsed = new Map<string, ReturnType<typeof loadPages>>();
function pagesOf(dist: string): ReturnType<typeof loadPages> {
  let pages = parsed.get(dist);
  if (!pages) {
    pages = loadPages(dist);
    parsed.set(dist, pages);
  }
  return pages;
}

async function filesEndingWith(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix) && !path.join(entry.parentPath, entry.name).includes(`${path.sep}pagefind${path.sep}`))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe.each(SITES)('%s, checked by real validators', (name, corpus) => {
  let dist: string;

  beforeAll(() => {
    dist = sites[name] ?? '';
  });

  it('should have zero errors in the Nu HTML Checker on every page', async (context) => {
    java.skipUnlessAvailable(context);
    const errors = await nuHtmlErrors();
    expect(errors.filter((line) => line.includes(dist))).toEqual([]);
  }, 180_000);

  it('should give every page a description, for search engines and link previews', async () => {
    const pages = await pagesOf(dist);
    const missing = [...pages.values()].filter((page) => !page.document.querySelector('meta[name="description"]')?.getAttribute('content')?.trim());
    expect(missing.map((page) => page.url)).toEqual([]);
    expect(pages.size).toBeGreaterThan(50);
  });

  it('should have no broken internal link anywhere', async () => {
    expect(await brokenLinks(dist, await pagesOf(dist))).toEqual([]);
  }, 60_000);

  it('should write well-formed feeds and sitemaps, each sitemap valid against its schema', async () => {
    // Well-formedness by a strict XML parser; the schemas by libxml2, as xmllint checks them, compiled to
    // WebAssembly: no system tool needed.
    const xmlFiles = await filesEndingWith(dist, '.xml');
    expect(xmlFiles.length).toBeGreaterThanOrEqual(3 * 2 + 2);
    const documents = await Promise.all(xmlFiles.map(async (file) => ({ fileName: file, contents: await readFile(file, 'utf8') })));
    expect(documents.flatMap((document) => xmlProblems(document.contents).map((problem) => `${document.fileName}: ${problem}`))).toEqual([]);
    const schema = async (name: string) => ({ fileName: name, contents: await readFile(path.join(fixtures, 'schemas', name), 'utf8') });
    const validate = async (name: string, files: readonly { fileName: string; contents: string }[]): Promise<void> => {
      const result = await validateXML({ xml: [...files], schema: [await schema(name)], preload: [await schema('xhtml-link.xsd')] });
      expect(result.errors.map((error) => error.rawMessage)).toEqual([]);
      expect(result.valid).toBe(true);
    };
    await validate('siteindex.xsd', documents.filter((document) => document.fileName === path.join(dist, 'sitemap.xml')));
    await validate('sitemap.xsd', documents.filter((document) => document.fileName.startsWith(path.join(dist, 'sitemaps') + path.sep)));
  });

  it('should announce every page once, with hreflang alternates, in the sitemap files its index names', async () => {
    const index = parseHTML(await readFile(path.join(dist, 'sitemap.xml'), 'utf8')).document;
    const files = [...index.querySelectorAll('sitemap > loc')].map((loc) => loc.textContent ?? '');
    const base = 'https://meizhou-archive.example/';
    expect(files.length).toBeGreaterThan(1);
    expect(files.every((file) => file.startsWith(`${base}sitemaps/`))).toBe(true);
    const locs: string[] = [];
    for (const file of files) {
      const sitemap = parseHTML(await readFile(path.join(dist, file.slice(base.length)), 'utf8')).document;
      locs.push(...[...sitemap.querySelectorAll('url > loc')].map((loc) => loc.textContent ?? ''));
      expect(sitemap.querySelectorAll('url').length).toBeGreaterThan(0);
    }
    // Every page a reader can land on: each page's own index.html, but not the 404 or search pages.
    const pages = (await filesEndingWith(dist, 'index.html'))
      .map((file) => new URL(`${path.relative(dist, path.dirname(file)).split(path.sep).join('/')}/`.replace(/^\/$/, ''), base).href)
      .filter((url) => !url.endsWith('/search/'));
    expect([...locs].sort()).toEqual([...pages].sort());
    expect(locs).toContain(`${base}en/`);
    const robots = await readFile(path.join(dist, 'robots.txt'), 'utf8');
    expect(robots).toContain(`Sitemap: ${base}sitemap.xml`);
  });

  it('should write JSON Feeds with the fields the JSON Feed 1.1 spec requires', async () => {
    for (const edition of ['zh-hans', 'en', 'zh-hant']) {
      const feed = JSON.parse(await readFile(path.join(dist, edition, 'feed.json'), 'utf8'));
      expect(feed.version).toBe('https://jsonfeed.org/version/1');
      expect(typeof feed.title).toBe('string');
      expect(feed.home_page_url).toBe(`https://meizhou-archive.example/${edition}/`);
      expect(feed.feed_url).toBe(`https://meizhou-archive.example/${edition}/feed.json`);
      expect(feed.items.length).toBeGreaterThan(0);
      for (const item of feed.items) {
        expect(typeof item.id).toBe('string');
        expect(item.url).toMatch(/^https:\/\/meizhou-archive\.example\//);
        expect(typeof (item.content_html ?? item.content_text)).toBe('string');
        expect(Number.isNaN(Date.parse(item.date_published))).toBe(false);
      }
    }
  });

  it('should give every article NewsArticle JSON-LD that parses and links the editions', async () => {
    const pages = await pagesOf(dist);
    let articles = 0;
    for (const page of pages.values()) {
      const script = page.document.querySelector('script[type="application/ld+json"]');
      if (!script) continue;
      articles++;
      const data = JSON.parse(script.textContent ?? '');
      expect(data['@type']).toBe('NewsArticle');
      expect(data.headline).toBeTruthy();
      expect(data.inLanguage).toBe(page.document.documentElement.getAttribute('lang'));
      expect(data.isPartOf['@type']).toBe('WebSite');
      if (data.inLanguage === 'zh-Hans') expect(data.workTranslation?.length ?? 0).toBeGreaterThan(0);
      else expect(data.translationOfWork['@id']).toMatch(/\/zh-hans\//);
    }
    expect(articles).toBeGreaterThanOrEqual(3);
  });

  if (corpus > 0) {
    it('should list recent articles in the Google News sitemap', async () => {
      const news = parseHTML(await readFile(path.join(dist, 'sitemap-news.xml'), 'utf8')).document;
      expect(news.querySelectorAll('url').length).toBeGreaterThan(0);
      for (const url of news.querySelectorAll('url')) {
        expect(url.querySelector('news\\:publication_date, publication_date')?.textContent).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    });
  }
});
