import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { parseMarkdown } from '../../src/parse/markdown.js';
import { renderArticleHtml } from '../../src/render/html.js';
import { scriptSafeJson } from '../../src/render/structured-data.js';
import { toArticle, type StructuredArticle } from '../../src/structure/article.js';
import { summariseText } from '../../src/structure/summary.js';
import { makeProject, runBroadsheet } from '../helpers/cli.js';
import { loadPages } from '../helpers/site.js';
import { sourceFile } from '../helpers/source.js';

const toHtml = (structured: StructuredArticle) => renderArticleHtml(structured, summariseText(structured.article, []));

const config = parseConfig('languages: [{code: zh-Hans}, {code: en}]', 'broadsheet.yaml');

function render(markdown: string): string {
  const source = sourceFile({ path: 'x.md', relativePath: 'x.md', key: 'x', lang: 'zh-Hans', text: `---\ntitle: T\n---\n\n${markdown}\n` });
  const article = toHtml(toArticle(source, parseMarkdown(source.text), config));
  return article.lead.map((block) => block.content).join('\n');
}

describe('what Markdown may put on a page', () => {
  it.each([
    ['[点我](javascript:alert(1))', /javascript:/],
    ['[点我](JaVaScRiPt:alert(1))', /javascript:/i],
    ['[图](data:text/html;base64,PHNjcmlwdD4=)', /data:/],
    ['![x](javascript:alert(1))', /javascript:/],
    ['<script>alert(1)</script>', /<script/],
    ['<img src=x onerror=alert(1)>', /onerror|<img/],
    ['<a href="https://example.org" onclick="steal()">链接</a>', /onclick/],
  ])('should keep %s harmless', (markdown, forbidden) => {
    expect(render(markdown)).not.toMatch(forbidden);
  });

  it('should keep ordinary links and the anchor ids', () => {
    expect(render('见[报道](https://example.org/a)与[邮件](mailto:a@example.org)。')).toBe(
      '<p id="p1">见<a href="https://example.org/a">报道</a>与<a href="mailto:a@example.org">邮件</a>。</p>',
    );
  });
});

describe('scriptSafeJson', () => {
  it('should never let a string end the script element', () => {
    const json = scriptSafeJson({ headline: '</script><script>alert(1)</script>', x: '\u2028' });
    expect(json).not.toContain('</script');
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual({ headline: '</script><script>alert(1)</script>', x: '\u2028' });
  });
});

describe('hostile front matter in every output', () => {
  it('should escape a hostile title, kicker and byline in all editions, the parallel view, feeds and JSON-LD', async () => {
    const project = await makeProject();
    const file = path.join(project, 'content/2019/meizhou-last-mile.md');
    const text = await readFile(file, 'utf8');
    const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    await writeFile(
      file,
      text
        .replace(/^title: .*$/m, `title: '${hostile}'`)
        .replace(/^kicker: .*$/m, `kicker: '<b onmouseover=alert(3)>kicker</b>'`)
        .replace('name: 张柯', `name: '<script>alert(4)</script>'`),
    );
    const run = await runBroadsheet(['build'], project);
    expect(run.code).toBe(0);
    const pages = await loadPages(path.join(project, 'dist'));
    for (const page of pages.values()) {
      const scripts = [...page.document.querySelectorAll('script')].filter((script) => script.getAttribute('type') !== 'application/ld+json' && !script.getAttribute('src'));
      expect(scripts, page.url).toEqual([]);
      expect(page.document.querySelector('[onerror], [onmouseover]'), page.url).toBeNull();
      const jsonLd = page.document.querySelector('script[type="application/ld+json"]');
      if (jsonLd && !page.url.startsWith('/en/')) expect(JSON.parse(jsonLd.textContent ?? '').headline, page.url).toContain('alert(1)');
    }
    expect(pages.get('/zh-hans/2019/meizhou-last-mile/')?.document.querySelector('h1')?.textContent).toBe(hostile);
    expect(pages.get('/zh-hans/2019/meizhou-last-mile/parallel/')?.document.querySelector('h1')?.textContent).toBe(hostile);
    for (const feed of ['zh-hans/feed.xml', 'zh-hans/rss.xml', 'zh-hant/feed.xml']) {
      const xml = await readFile(path.join(project, 'dist', feed), 'utf8');
      expect(xml, feed).not.toMatch(/<script>alert\(1\)/);
    }
    const json = JSON.parse(await readFile(path.join(project, 'dist/zh-hans/feed.json'), 'utf8'));
    // JSON Feed titles are plain text by its specification: the title as written, never escaped (or rendered).
    expect(json.items[0].title).toBe(hostile);
  });
});
