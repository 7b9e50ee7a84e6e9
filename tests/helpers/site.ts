import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseHTML } from 'linkedom';

/** A built HTML page: its site path (`/en/2019/x/`), its file and its parsed document. */
export interface BuiltPage {
  readonly url: string;
  readonly file: string;
  readonly document: Document;
}

/** Parses every HTML file of a built site. */
export async function loadPages(dist: string): Promise<Map<string, BuiltPage>> {
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  const pages = new Map<string, BuiltPage>();
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dist, file).split(path.sep).join('/');
    const url = `/${relative.replace(/(^|\/)index\.html$/, '$1')}`;
    pages.set(url, { url, file, document: parseHTML(await readFile(file, 'utf8')).document });
  }
  return pages;
}

/** The shipped configuration's base URL: links under it are links into the site. */
export const SITE_BASE = 'https://meizhou-archive.example/';

/** Resolves a link found on `page` to a site path, or null for external links and pure fragments. */
export function resolveLink(page: BuiltPage, href: string): string | null {
  if (href.startsWith(SITE_BASE)) return decodeURIComponent(new URL(href).pathname);
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') || href.startsWith('#')) return null;
  const base = new URL(page.url, 'http://site.invalid');
  const target = new URL(href, base);
  return decodeURIComponent(target.pathname);
}

/** Every internal link (href, src) in the site whose target file does not exist. */
export async function brokenLinks(dist: string, pages: Map<string, BuiltPage>): Promise<string[]> {
  const broken: string[] = [];
  for (const page of pages.values()) {
    for (const element of page.document.querySelectorAll('[href], [src]')) {
      const href = element.getAttribute('href') ?? element.getAttribute('src') ?? '';
      const target = resolveLink(page, href);
      if (target === null) continue;
      const file = path.join(dist, target.endsWith('/') ? `${target}index.html` : target);
      const exists = await stat(file).then((info) => info.isFile(), () => false);
      if (!exists) broken.push(`${page.url} → ${href}`);
      const fragment = href.includes('#') ? href.slice(href.indexOf('#') + 1) : '';
      if (exists && fragment && target === page.url && !page.document.getElementById(fragment)) broken.push(`${page.url} → #${fragment}`);
    }
  }
  return broken;
}
