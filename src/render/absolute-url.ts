import type { Config } from '../model/config.js';

/**
 * The base of the links that must be absolute whether or not the site has a
 * `baseUrl` (feeds, sitemaps, `robots.txt`): the configured one, else
 * `https://localhost/`, a stand-in that works on a local preview and can be
 * taken for nothing else.
 */
export function absoluteBase(config: Pick<Config, 'baseUrl'>): string {
  return config.baseUrl ?? 'https://localhost/';
}

/** A base URL as the URL parser writes it, and its path; kept for the one base a build has. */
let parsed: { readonly base: string; readonly href: string; readonly pathname: string } | null = null;

function parse(base: string): { readonly href: string; readonly pathname: string } {
  if (parsed?.base !== base) {
    const url = new URL(base);
    parsed = { base, href: url.href, pathname: url.pathname };
  }
  return parsed;
}

// A site path the URL parser leaves exactly as it is: nothing to encode, no `.` or `..` segment, not `//`.
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~/]*$/;
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;

/**
 * `/zh-hans/2019/report/` on `https://example.org/archive/` →
 * `https://example.org/archive/zh-hans/2019/report/`, exactly as
 * `new URL('zh-hans/2019/report/', base)` resolves it. A page makes about
 * fifteen such links; for the plain paths nearly all of them are, the
 * result is the base and the path joined, without parsing either again.
 */
export function absoluteUrl(base: string, sitePath: string): string {
  const { href } = parse(base);
  if (href.endsWith('/') && PLAIN_PATH.test(sitePath) && !DOT_SEGMENT.test(sitePath)) return href + sitePath.slice(1);
  return new URL(sitePath.slice(1), base).href;
}

/** The path of a base URL: `/archive/` for `https://example.org/archive/`. */
export function basePathOf(base: string): string {
  return parse(base).pathname;
}
