import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runBroadsheet } from '../helpers/cli.js';
import { brokenLinks, loadPages, resolveLink, type BuiltPage } from '../helpers/site.js';

const article = '/2019/meizhou-last-mile/';

describe('the shipped archive in three editions', () => {
  let dist: string;
  let pages: Map<string, BuiltPage>;
  const page = (url: string): Document => {
    const found = pages.get(url);
    if (!found) throw new Error(`no page ${url}`);
    return found.document;
  };

  beforeAll(async () => {
    const project = await makeProject();
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    dist = path.join(project, 'dist');
    pages = await loadPages(dist);
  });

  it('should write the report in each edition and each parallel view', () => {
    for (const edition of ['zh-hans', 'en', 'zh-hant']) {
      expect(pages.has(`/${edition}${article}`)).toBe(true);
      expect(pages.has(`/${edition}${article}parallel/`)).toBe(true);
      expect(pages.has(`/${edition}/`)).toBe(true);
    }
  });

  it('should set the language of every page', () => {
    for (const [url, { document }] of pages) {
      const expected = url.startsWith('/en/') ? 'en' : url.startsWith('/zh-hant/') ? 'zh-Hant' : 'zh-Hans';
      expect([url, document.documentElement.getAttribute('lang')]).toEqual([url, expected]);
    }
  });

  it('should give the English page the same three sections and paragraph counts', () => {
    const english = page(`/en${article}`);
    const chinese = page(`/zh-hans${article}`);
    const shape = (document: Document) => [
      document.querySelectorAll('.lead p').length,
      ...[...document.querySelectorAll('section.section')].map((section) => section.querySelectorAll('p[id]').length),
    ];
    expect(shape(english)).toEqual([1, 6, 4, 4]);
    expect(shape(english)).toEqual(shape(chinese));
    expect([...english.querySelectorAll('section.section h2')].map((h2) => h2.textContent)).toEqual([
      'New vehicles for study',
      'Focusing on the “key few”',
      'Putting members’ role to work',
    ]);
    expect(english.querySelector('aside.related h2')?.textContent).toBe('Related news');
    expect(english.querySelector('.article-meta')?.textContent?.replace(/\s+/g, ' ').trim()).toMatch(/^2019 · [\d,]+ words · \d+ min read$/);
  });

  it('should convert the Traditional edition from the Simplified source', () => {
    const text = page(`/zh-hant${article}`).querySelector('main')?.textContent ?? '';
    for (const traditional of ['黨員', '組織', '學習', '梅州打通基層黨組織']) expect(text).toContain(traditional);
    for (const simplified of ['党员', '组织', '学习']) expect(text).not.toContain(simplified);
    expect(page(`/zh-hant${article}`).querySelector('h1')?.textContent).toBe('梅州打通基層黨組織開展主題教育「最後一公里」紀實');
    expect(page(`/zh-hant${article}`).querySelector('.toc h2')?.textContent).toBe('本文目錄');
  });

  it('should link every page to each of its counterparts with reciprocal hreflang links', () => {
    for (const current of pages.values()) {
      const links = [...current.document.querySelectorAll('link[rel=alternate][hreflang]')];
      const targets = new Map(links.map((link) => [link.getAttribute('hreflang'), resolveLink(current, link.getAttribute('href') ?? '')]));
      // The language chooser, 404 pages and names found in one edition only have no equivalents.
      if (links.length === 0) {
        expect(current.url).not.toMatch(/\/2019\/meizhou-last-mile\//);
        continue;
      }
      expect([current.url, targets.get(current.document.documentElement.getAttribute('lang'))]).toEqual([current.url, current.url]);
      expect(targets.has('x-default')).toBe(true);
      for (const [hreflang, target] of targets) {
        if (hreflang === 'x-default' || target === null) continue;
        const other = pages.get(target);
        expect(other, `${current.url} → ${target}`).toBeDefined();
        const back = [...(other?.document.querySelectorAll('link[rel=alternate][hreflang]') ?? [])].map((link) => resolveLink(other as BuiltPage, link.getAttribute('href') ?? ''));
        expect(back, `${target} links back to ${current.url}`).toContain(current.url);
      }
    }
    const hreflangs = [...page(`/en${article}`).querySelectorAll('link[rel=alternate][hreflang]')].map((link) => link.getAttribute('hreflang'));
    expect(hreflangs).toEqual(['zh-Hans', 'en', 'zh-Hant', 'x-default']);
  });

  it('should switch to the same article, not a home page, in every language', () => {
    for (const current of pages.values()) {
      for (const link of current.document.querySelectorAll('.switcher a')) {
        const target = resolveLink(current, link.getAttribute('href') ?? '') ?? '';
        expect(pages.has(target), `${current.url} switcher → ${target}`).toBe(true);
        if (current.url.endsWith(article)) expect(target.endsWith(article)).toBe(true);
      }
    }
    expect([...page(`/zh-hans${article}`).querySelectorAll('.switcher a')].map((link) => link.textContent)).toEqual(['English', '繁體中文']);
  });

  it('should offer the parallel view from both language editions', () => {
    expect(page(`/zh-hans${article}`).querySelector('.parallel-offer a')?.getAttribute('href')).toBe('parallel/');
    expect(page(`/en${article}`).querySelector('.parallel-offer a')?.getAttribute('href')).toBe('parallel/');
  });

  it('should align the parallel view paragraph by paragraph, headings with headings', () => {
    const parallel = page(`/en${article}parallel/`);
    const rows = [...parallel.querySelectorAll('.parallel-row:not(.parallel-titles)')];
    expect(rows).toHaveLength(1 + 3 + 6 + 4 + 4);
    for (const row of rows) {
      const cells = [...row.querySelectorAll(':scope > .cell')];
      expect(cells.map((cell) => cell.getAttribute('lang'))).toEqual(['en', 'zh-Hans']);
      expect(row.querySelector('.gap')).toBeNull();
    }
    const headings = [...parallel.querySelectorAll('.parallel-heading')].map((row) => [...row.querySelectorAll('.cell')].map((cell) => cell.firstElementChild?.textContent));
    expect(headings[0]).toEqual(['New vehicles for study', '抓载体创新']);
    const ids = [...parallel.querySelectorAll('[id]')].map((element) => element.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should let the root page choose a language without JavaScript', () => {
    const home = page('/');
    expect([...home.querySelectorAll('.edition-list a')].map((link) => resolveLink(pages.get('/') as BuiltPage, link.getAttribute('href') ?? ''))).toEqual([
      '/zh-hans/',
      '/en/',
      '/zh-hant/',
    ]);
    expect(home.querySelectorAll('script')).toHaveLength(0);
  });

  it('should have no broken internal link anywhere', async () => {
    expect(await brokenLinks(dist, pages)).toEqual([]);
  });
});

describe('editions with gaps and extra languages', () => {
  it('should not invent a missing translation, and show the language as unavailable', async () => {
    const project = await makeProject();
    await writeFile(path.join(project, 'content/2019/only-chinese.md'), '---\ntitle: 只有中文\ndate: 2019-11-26\n---\n\n导语。\n');
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    const dist = path.join(project, 'dist');
    const pages = await loadPages(dist);
    expect(pages.has('/en/2019/only-chinese/')).toBe(false);
    expect(pages.has('/zh-hans/2019/only-chinese/parallel/')).toBe(false);
    const chinese = pages.get('/zh-hans/2019/only-chinese/')?.document;
    expect(chinese?.querySelector('.switcher .unavailable')?.textContent).toContain('English');
    expect(chinese?.querySelector('.parallel-offer')).toBeNull();
    expect(chinese?.querySelector('time')?.textContent).toBe('2019年11月26日');
    expect([...(chinese?.querySelectorAll('link[rel=alternate][hreflang]') ?? [])].map((link) => link.getAttribute('hreflang'))).toEqual(['zh-Hans', 'zh-Hant', 'x-default']);
    expect([...(pages.get('/en/')?.document.querySelectorAll('.card-title') ?? [])].map((title) => title.textContent?.trim())).not.toContain('只有中文');
    expect(await brokenLinks(dist, pages)).toEqual([]);
  });

  it('should format dates per locale', async () => {
    const project = await makeProject({ content: false });
    await mkdir(path.join(project, 'content'), { recursive: true });
    await writeFile(path.join(project, 'content/a.md'), '---\ntitle: 甲\ndate: 2019-11-26\n---\n\n正文。\n');
    await writeFile(path.join(project, 'content/a.en.md'), '---\ntitle: A\ndate: 2019-11-26\n---\n\nText.\n');
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    const pages = await loadPages(path.join(project, 'dist'));
    expect(pages.get('/en/a/')?.document.querySelector('time')?.textContent).toBe('26 November 2019');
    expect(pages.get('/zh-hant/a/')?.document.querySelector('time')?.textContent).toBe('2019年11月26日');
  });

  it('should report a misaligned translation in check, naming both files and the section, while build still succeeds', async () => {
    const project = await makeProject();
    const file = path.join(project, 'content/2019/meizhou-last-mile.en.md');
    const english = await readFile(file, 'utf8');
    const misaligned = english
      .replace(/\n\nIn Xingning,[^\n]*\n/, '\n')
      .replace('## Putting members’ role to work', '## 抓作用发挥');
    await writeFile(file, misaligned);
    const check = await runBroadsheet(['check'], project);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/content\/2019\/meizhou-last-mile\.en\.md:\d+  BS211  warning: section 1 \("New vehicles for study"\) has 5 paragraphs, the source's \("抓载体创新"\) has 6 \(source: content\/2019\/meizhou-last-mile\.md\)/);
    expect(check.stderr).toMatch(/section 3 heading "抓作用发挥" is not translated/);
    const build = await runBroadsheet(['build'], project);
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/2 warnings \(run broadsheet check\)/);
    const parallel = (await loadPages(path.join(project, 'dist'))).get('/zh-hans/2019/meizhou-last-mile/parallel/')?.document;
    expect(parallel?.querySelectorAll('.gap')).toHaveLength(1);
  });

  it('should report a translation without a source', async () => {
    const project = await makeProject();
    await writeFile(path.join(project, 'content/2019/orphan.en.md'), '---\ntitle: Orphan\n---\n\nText.\n');
    const run = await runBroadsheet(['build'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('content/2019/orphan.en.md  BS210');
  });

  it('should refuse content files for the derived edition', async () => {
    const project = await makeProject();
    await writeFile(path.join(project, 'content/2019/meizhou-last-mile.zh-Hant.md'), '---\ntitle: 手寫\n---\n\n正文。\n');
    const run = await runBroadsheet(['build'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/meizhou-last-mile\.zh-Hant\.md  BS206  zh-Hant is generated from zh-Hans/);
  });

  it('should apply the project override list to the conversion', async () => {
    const project = await makeProject({ content: false });
    await mkdir(path.join(project, 'content'), { recursive: true });
    await writeFile(path.join(project, 'content/a.md'), '---\ntitle: 围龙屋有两百多年历史\n---\n\n这座围龙屋有两百多年历史。\n');
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    const traditional = (await loadPages(path.join(project, 'dist'))).get('/zh-hant/a/')?.document;
    expect(traditional?.querySelector('#p1')?.textContent).toBe('這座圍龍屋有兩百多年歷史。');
    expect(traditional?.querySelector('h1')?.textContent).toBe('圍龍屋有兩百多年歷史');
  });

  it('should add a fourth language with only configuration, a catalogue and content', async () => {
    const project = await makeProject();
    const config = await readFile(path.join(project, 'broadsheet.yaml'), 'utf8');
    await writeFile(path.join(project, 'broadsheet.yaml'), config.replace('\n# Places recognised', '  - code: ja\n    path: ja\n    name: 日本語\n\n# Places recognised'));
    const catalogue = (await readFile(path.join(project, 'templates/i18n/en.yaml'), 'utf8')).replace('heading: All reports', 'heading: すべての記事');
    await writeFile(path.join(project, 'templates/i18n/ja.yaml'), catalogue);
    await writeFile(
      path.join(project, 'content/2019/meizhou-last-mile.ja.md'),
      '---\ntitle: 梅州の末端まで届く学習教育\nlang: ja\n---\n\n導入。\n\n## 一\n\n段落。\n',
    );
    const run = await runBroadsheet(['build'], project);
    expect(run.code).toBe(0);
    const dist = path.join(project, 'dist');
    const pages = await loadPages(dist);
    const japanese = pages.get('/ja/2019/meizhou-last-mile/')?.document;
    expect(japanese?.documentElement.getAttribute('lang')).toBe('ja');
    expect(japanese?.querySelector('h1')?.textContent).toBe('梅州の末端まで届く学習教育');
    expect(pages.get('/ja/')?.document.querySelector('h1')?.textContent).toBe('すべての記事');
    expect([...(pages.get('/en/2019/meizhou-last-mile/')?.document.querySelectorAll('link[rel=alternate][hreflang]') ?? [])].map((link) => link.getAttribute('hreflang'))).toContain('ja');
    expect(pages.has('/ja/2019/meizhou-last-mile/parallel/')).toBe(true);
    expect(await brokenLinks(dist, pages)).toEqual([]);
  });
});
