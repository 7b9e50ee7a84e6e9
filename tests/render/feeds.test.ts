import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runBroadsheet } from '../helpers/cli.js';
import { loadPages } from '../helpers/site.js';
import { elementsOf, outsideSchema, xmlAttributes, xmlProblems, xmlTexts } from '../helpers/wellformed.js';

// Feeds are read by programs that render HTML: they must carry nothing the page itself would not
// show, stay well-formed whatever the front matter holds, and give plain text where a format wants text.

const hostile = {
  // Entities that decode to markup, and markup inside a code span: text on the page, text in the feed.
  'entities.md': "---\ntitle: 实体\ndate: 2019-07-03\n---\n\nType &lt;img src=x onerror=alert(1)&gt; or `<script>alert(1)</script>`.\n",
  // Raw HTML, which the page drops: it must not come back in the feed, nor leave empty paragraphs.
  'raw.md': '---\ntitle: 原始\ndate: 2019-07-02\n---\n\n<script>alert(2)</script>\n\n第一段 <b onmouseover="alert(3)">加粗</b>。\n\n<img src=x onerror=alert(4)>\n\n第二段 ]]>]]> 完。\n',
  // Markup characters and characters XML cannot carry, in every front matter field a feed shows.
  'fields.md':
    '---\ntitle: "Tips & tricks <i>x</i> \\u2028 ]]> end"\ndate: 2019-07-01\ntags: ["x<y", "a]]>b", "q\\"uote"]\nbyline:\n  - role: "记<者"\n    name: "张😀柯"\n---\n\n' +
    `${'长'.repeat(299)}😀 after the cut.\n`,
};

describe('feeds built from hostile content', () => {
  let dist: string;
  const feeds: Record<string, string> = {};

  beforeAll(async () => {
    const project = await makeProject({ content: false });
    await mkdir(path.join(project, 'content/2019'), { recursive: true });
    for (const [name, text] of Object.entries(hostile)) await writeFile(path.join(project, 'content/2019', name), text);
    const run = await runBroadsheet(['build'], project);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    dist = path.join(project, 'dist');
    for (const edition of ['zh-hans', 'zh-hant']) {
      for (const file of ['feed.xml', 'rss.xml', 'feed.json']) feeds[`${edition}/${file}`] = await readFile(path.join(dist, edition, file), 'utf8');
    }
  });

  it('should write well-formed Atom and RSS and valid JSON in every edition', () => {
    for (const [name, text] of Object.entries(feeds)) {
      if (name.endsWith('.json')) expect(() => JSON.parse(text), name).not.toThrow();
      else expect(xmlProblems(text), name).toEqual([]);
    }
  });

  it('should give summaries as escaped plain text, never markup', () => {
    for (const edition of ['zh-hans', 'zh-hant']) {
      const summaries = [...xmlTexts(feeds[`${edition}/feed.xml`] ?? '', 'summary'), ...xmlTexts(feeds[`${edition}/rss.xml`] ?? '', 'description').slice(1)];
      expect(summaries.length).toBe(6);
      for (const summary of summaries) expect(elementsOf(summary), summary).toEqual([]);
    }
    const atom = xmlTexts(feeds['zh-hans/feed.xml'] ?? '', 'summary');
    expect(atom).toContain('Type &lt;img src=x onerror=alert(1)&gt; or &lt;script&gt;alert(1)&lt;/script&gt;.');
    // The raw HTML the page drops is not in the summary as text either.
    expect(atom).toContain('第一段 加粗。 第二段 ]]&gt;]]&gt; 完。');
  });

  it('should carry only what the sanitiser lets through in the full text', () => {
    for (const [name, text] of Object.entries(feeds)) {
      const bodies = name.endsWith('.json')
        ? (JSON.parse(text) as { items: { content_html: string }[] }).items.map((item) => item.content_html)
        : xmlTexts(text, name.endsWith('feed.xml') ? 'content' : 'content:encoded');
      expect(bodies.length, name).toBe(3);
      for (const body of bodies) expect(outsideSchema(body), `${name}: ${body}`).toEqual([]);
      expect(bodies.join('\n')).not.toMatch(/alert\([234]\)/);
    }
  });

  it('should give titles as text: escaped in Atom and RSS, plain in JSON Feed', () => {
    const escaped = 'Tips &amp; tricks &lt;i&gt;x&lt;/i&gt; \u2028 ]]&gt; end';
    expect(xmlTexts(feeds['zh-hans/feed.xml'] ?? '', 'title')).toContain(escaped);
    expect(xmlTexts(feeds['zh-hans/rss.xml'] ?? '', 'title')).toContain(escaped);
    const json = JSON.parse(feeds['zh-hans/feed.json'] ?? '') as { items: { title: string; summary: string }[] };
    expect(json.items.map((item) => item.title)).toContain('Tips & tricks <i>x</i> \u2028 ]]> end');
    expect(json.items.map((item) => item.summary)).toContain('Type <img src=x onerror=alert(1)> or <script>alert(1)</script>.');
  });

  it('should keep tags with markup characters as they are written, in well-formed attributes', () => {
    const categories = xmlAttributes(feeds['zh-hans/feed.xml'] ?? '', 'category').map((category) => category.term);
    expect(categories).toEqual(expect.arrayContaining(['x<y', 'a]]>b', 'q"uote']));
  });

  it('should cut a summary on a character, never inside one', () => {
    const summaries = xmlTexts(feeds['zh-hans/feed.xml'] ?? '', 'summary');
    const cut = summaries.find((summary) => summary.startsWith('长'));
    expect(cut).toBe('长'.repeat(299));
  });

  it('should leave no empty paragraph and no gap in paragraph ids where raw HTML was dropped, and no HTML in descriptions', async () => {
    const pages = await loadPages(dist);
    const page = pages.get('/zh-hans/2019/raw/');
    const ids = [...(page?.document.querySelectorAll('article p[id]') ?? [])].map((paragraph) => paragraph.getAttribute('id'));
    expect(ids).toEqual(['p1', 'p2']);
    expect(page?.document.querySelector('meta[name=description]')?.getAttribute('content')).toBe('第一段 加粗。 第二段 ]]>]]> 完。');
    expect(page?.document.querySelector('meta[property="og:description"]')?.getAttribute('content')).toBe('第一段 加粗。 第二段 ]]>]]> 完。');
  });
});

describe('characters no page or feed can carry', () => {
  it('should be refused where they are written, in the body and in front matter', async () => {
    const project = await makeProject({ content: false });
    await mkdir(path.join(project, 'content/2019'), { recursive: true });
    await writeFile(path.join(project, 'content/2019/body.md'), '---\ntitle: 正文\n---\n\n第一段。\n\n从PDF复制\f的文字。\n');
    await writeFile(path.join(project, 'content/2019/front.md'), '---\ntitle: "标题\\u0001"\n---\n\n正文。\n');
    const run = await runBroadsheet(['build'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^content\/2019\/body\.md:7:7 {2}BS103 {2}the file contains the control character U\+000C/m);
    expect(run.stderr).toMatch(/^content\/2019\/front\.md:2:8 {2}BS203 {2}"title": holds a control character/m);
  });
});
