import { describe, expect, it } from 'vitest';
import { digest } from '../../src/digest.js';
import { indexedTextDigest } from '../../src/search/indexed-text.js';

const page = (body: string, chrome = '<nav>首页</nav>', lang = 'zh-Hans'): string =>
  `<!doctype html><html lang="${lang}"><head><title>报道</title></head><body>${chrome}<article data-pagefind-body><h1>标题</h1>${body}</article><footer>页脚</footer></body></html>`;

describe('the digest of what the search index reads', () => {
  it('should not change with layout outside the indexed element or with comments', () => {
    const base = indexedTextDigest(page('<p>正文</p>'));
    expect(indexedTextDigest(page('<p>正文</p>', '<nav class="new">首页 新</nav>'))).toBe(base);
    expect(indexedTextDigest(page('<p>正文</p><!-- a comment -->'))).toBe(base);
  });

  it('should change with the indexed text, nested elements of the same name included', () => {
    const base = indexedTextDigest(page('<article><p>内层</p></article><p>正文</p>'));
    expect(indexedTextDigest(page('<article><p>内层</p></article><p>正文 改</p>'))).not.toBe(base);
    expect(indexedTextDigest(page('<article><p>内层 改</p></article><p>正文</p>'))).not.toBe(base);
  });

  it("should change with the page's language and with Pagefind's page-wide attributes", () => {
    const base = indexedTextDigest(page('<p>正文</p>'));
    expect(indexedTextDigest(page('<p>正文</p>', '<nav>首页</nav>', 'zh-Hant'))).not.toBe(base);
    expect(indexedTextDigest(page('<p>正文</p>', '<nav data-pagefind-filter="place:梅江">首页</nav>'))).not.toBe(base);
  });

  it('should read the whole page when no element is marked', () => {
    const plain = (footer: string): string => `<html><body><p>正文</p><footer>${footer}</footer></body></html>`;
    expect(indexedTextDigest(plain('甲'))).not.toBe(indexedTextDigest(plain('乙')));
  });

  it("should be broadsheet's digest of the page-wide attributes and the indexed element, as text", () => {
    const body = '<article data-pagefind-body><h1>标题</h1><p>正文</p></article>';
    const html = `<html lang="zh-Hans"><body><nav data-pagefind-filter="place:梅江">首页</nav>${body}</body></html>`;
    expect(indexedTextDigest(html)).toBe(digest('<html lang="zh-Hans"> data-pagefind-filter="place:梅江"', body));
  });

  it('should give a page and its UTF-8 bytes the same digest', () => {
    const html = page('<p>正文 “引号” — 𠀀</p>', '<nav data-pagefind-meta="title:梅州">首页</nav>');
    expect(indexedTextDigest(Buffer.from(html))).toBe(indexedTextDigest(html));
    expect(indexedTextDigest(new Uint8Array(Buffer.from(html)))).toBe(indexedTextDigest(html));
  });

  it('should ignore markup inside comments when it finds where the indexed element ends', () => {
    const base = indexedTextDigest(page('<p>正文</p>'));
    expect(indexedTextDigest(page('<p>正文</p><!-- </article> <article> -->'))).toBe(base);
    expect(indexedTextDigest(page('<p>正文</p><!-- data-pagefind-filter="x" -->'))).toBe(base);
  });
});
