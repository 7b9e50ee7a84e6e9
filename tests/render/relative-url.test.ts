import path from 'node:path/posix';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { relativeUrl } from '../../src/render/pages.js';

/** The link a general path resolver gives: what relativeUrl must agree with. */
function resolverLink(from: string, to: string): string {
  const relative = path.relative(from.endsWith('/') ? from : `${path.dirname(from)}/`, to);
  if (relative === '') return './';
  return to.endsWith('/') ? `${relative}/` : relative;
}

// Site URLs as the planner makes them: folders and pages, with or without a trailing slash.
const segment = fc.constantFrom('zh-hans', 'en', '2019', '2020', 'a', 'b', 'tags', 'index.html', 'feed.xml');
const url = fc.tuple(fc.array(segment, { maxLength: 5 }), fc.boolean()).map(([parts, folder]) => {
  const joined = `/${parts.join('/')}`;
  return folder && parts.length > 0 ? `${joined}/` : joined;
});

describe('relativeUrl', () => {
  it.each([
    ['/zh-hans/2019/report/', '/assets/style.css', '../../../assets/style.css'],
    ['/zh-hans/2019/report/', '/zh-hans/2019/report/parallel/', 'parallel/'],
    ['/zh-hans/2019/report/', '/', '../../../'],
    ['/zh-hans/', '/zh-hans/', './'],
    ['/404.html', '/zh-hans/', 'zh-hans/'],
    ['/zh-hans/feed.xml', '/zh-hans/2019/report/', '2019/report/'],
  ])('should link %s to %s as %s', (from, to, expected) => {
    expect(relativeUrl(from, to)).toBe(expected);
  });

  it('should give the link a path resolver gives, between any two site URLs', () => {
    fc.assert(fc.property(url, url, (from, to) => relativeUrl(from, to) === resolverLink(from, to)), { numRuns: 2000 });
  });
});
