import { describe, expect, it } from 'vitest';
import { absoluteBase, absoluteUrl, basePathOf } from '../../src/render/absolute-url.js';

const BASES = [
  'https://meizhou-archive.example/',
  'https://Example.ORG:443/archive/',
  'http://example.org:8080/a/b/',
  'https://example.org/archive',
  'https://example.org/?edition=1',
  'https://example.org/#top',
  'https://example.org',
  'file:///srv/site/',
];
const PATHS = [
  '/',
  '/zh-hans/2019/report/',
  '/en/feed.xml',
  '/zh-hant/tags/a-b_c~d.e/',
  '//evil.example/x',
  '///x',
  '/a/../b/',
  '/a/./b',
  '/a/..',
  '/..',
  '/.hidden/file',
  '/a..b/',
  '/%41/',
  '/a b/',
  '/梅州/',
  '/a?b=1',
  '/a#b',
  '/a\\b',
  '/A:B/',
];

describe('absoluteUrl', () => {
  it('resolves every site path exactly as the URL parser does', () => {
    for (const base of BASES) {
      for (const path of PATHS) expect(absoluteUrl(base, path), `${path} on ${base}`).toBe(new URL(path.slice(1), base).href);
    }
  });

  it("gives a base URL's path", () => {
    expect(basePathOf('https://example.org/archive/')).toBe('/archive/');
    expect(basePathOf('https://example.org')).toBe('/');
  });
});

describe('the base of links that must be absolute', () => {
  it("should be the site's base URL, or https://localhost/ for a site without one", () => {
    expect(absoluteBase({ baseUrl: 'https://meizhou-archive.example/' })).toBe('https://meizhou-archive.example/');
    expect(absoluteBase({ baseUrl: null })).toBe('https://localhost/');
    expect(absoluteUrl(absoluteBase({ baseUrl: null }), '/sitemap.xml')).toBe('https://localhost/sitemap.xml');
  });
});
