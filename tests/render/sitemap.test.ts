import { describe, expect, it } from 'vitest';
import { splitSitemap } from '../../src/render/sitemap.js';

const page = (url: string): { url: string } => ({ url });

describe('splitSitemap', () => {
  const pages = ['/', '/en/', '/en/2019/a/', '/en/2019/a/parallel/', '/en/places/meijiang/', '/zh-hans/2019/a/', '/zh-hans/2020/b/'].map(page);

  it('should give each edition and top-level folder its own file, and the root page one no folder can claim', () => {
    expect(splitSitemap(pages).map((part) => [part.url, part.pages.map((entry) => entry.url)])).toEqual([
      ['/sitemaps/_root.xml', ['/']],
      ['/sitemaps/en.xml', ['/en/']],
      ['/sitemaps/en.2019.xml', ['/en/2019/a/', '/en/2019/a/parallel/']],
      ['/sitemaps/en.places.xml', ['/en/places/meijiang/']],
      ['/sitemaps/zh-hans.2019.xml', ['/zh-hans/2019/a/']],
      ['/sitemaps/zh-hans.2020.xml', ['/zh-hans/2020/b/']],
    ]);
  });

  it('should cut a folder over the limit into numbered files, each page in exactly one, in order', () => {
    const many = Array.from({ length: 7 }, (_, index) => page(`/en/2019/${String(index).padStart(2, '0')}/`));
    const parts = splitSitemap(many, 3);
    expect(parts.map((part) => part.url)).toEqual(['/sitemaps/en.2019.xml', '/sitemaps/en.2019.2.xml', '/sitemaps/en.2019.3.xml']);
    expect(parts.map((part) => part.pages.length)).toEqual([3, 3, 1]);
    expect(parts.flatMap((part) => part.pages)).toEqual(many);
  });

  it('should leave the other folders’ files as they were when a report is added to one folder', () => {
    const before = splitSitemap(pages);
    const after = splitSitemap([...pages.slice(0, 5), page('/zh-hans/2019/a/'), page('/zh-hans/2019/c/'), page('/zh-hans/2020/b/')]);
    const changed = after.filter((part) => JSON.stringify(part) !== JSON.stringify(before.find((old) => old.url === part.url)));
    expect(changed.map((part) => part.url)).toEqual(['/sitemaps/zh-hans.2019.xml']);
  });
});
