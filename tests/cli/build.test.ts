import { readFile, readdir, rename, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runBroadsheet, type CliRun } from '../helpers/cli.js';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name))).sort();
}

async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const files = await listFiles(dir);
  return Object.fromEntries(await Promise.all(files.map(async (file) => [file, await readFile(path.join(dir, file), 'utf8')])));
}

describe('broadsheet build on the shipped archive', () => {
  let project: string;
  let run: CliRun;
  let document: Document;

  beforeAll(async () => {
    project = await makeProject();
    run = await runBroadsheet(['build'], project);
    const html = await readFile(path.join(project, 'dist/zh-hans/2019/meizhou-last-mile/index.html'), 'utf8');
    document = parseHTML(html).document;
  });

  it('should succeed with a one-line summary', () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^built \d+ pages \(2 articles, \d+ files written\) into dist in \d+\.\d\d s\n$/);
  });

  it('should write the article, the edition index, the language chooser and the stylesheet', async () => {
    const files = await listFiles(path.join(project, 'dist'));
    expect(files).toEqual(expect.arrayContaining(['index.html', 'zh-hans/index.html', 'zh-hans/2019/meizhou-last-mile/index.html', 'assets/style.css']));
  });

  it('should mark the page as Simplified Chinese and link the stylesheet', () => {
    expect(document.documentElement.getAttribute('lang')).toBe('zh-Hans');
    expect(document.querySelector('link[rel=stylesheet]')?.getAttribute('href')).toBe('../../../assets/style.css');
    expect(document.querySelector('meta[name=viewport]')).not.toBeNull();
    // No script is needed to read: the only script element is the JSON-LD data.
    expect([...document.querySelectorAll('script')].map((script) => script.getAttribute('type'))).toEqual(['application/ld+json']);
  });

  it('should show overline, title and byline', () => {
    expect(document.querySelector('h1')?.textContent).toBe('梅州打通基层党组织开展主题教育“最后一公里”纪实');
    expect(document.querySelector('.kicker')?.textContent).toBe('教育走深走实 激活“神经末梢”');
    const credits = [...document.querySelectorAll('.byline .credit')].map((credit) => credit.textContent?.replace(/\s+/g, ' ').trim());
    expect(credits).toEqual(['首席记者 张柯', '通讯员 蓝华林']);
  });

  it('should have three sections with headings, subheadings and their paragraphs', () => {
    const sections = [...document.querySelectorAll('section.section')];
    expect(sections.map((section) => section.querySelector('h2')?.textContent)).toEqual(['抓载体创新', '抓关键少数', '抓作用发挥']);
    expect(sections.map((section) => section.querySelector('.section-subheading')?.textContent)).toEqual([
      '推动学习教育全覆盖',
      '推动领导责任落到底',
      '推动基层党员作表率',
    ]);
    expect(sections.map((section) => section.querySelectorAll('p[id]').length)).toEqual([6, 4, 4]);
    expect(document.querySelectorAll('.lead p')).toHaveLength(1);
  });

  it('should link the table of contents to each section', () => {
    const links = [...document.querySelectorAll('nav.toc a')].map((link) => link.getAttribute('href'));
    expect(links).toEqual(['#s1', '#s2', '#s3']);
    for (const link of links) expect(document.querySelector(link ?? '')).not.toBeNull();
  });

  it('should set the related teaser apart, outside the article', () => {
    const related = document.querySelector('aside.related');
    expect(related?.querySelector('h2')?.textContent).toBe('新闻推荐');
    expect(related?.querySelectorAll('li')).toHaveLength(1);
    expect(related?.closest('article')).toBeNull();
    expect(document.querySelector('article')?.textContent).not.toContain('环卫工');
  });

  it('should give every id once', () => {
    const ids = [...document.querySelectorAll('[id]')].map((element) => element.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should list the article on the edition index, linking to it', async () => {
    const index = parseHTML(await readFile(path.join(project, 'dist/zh-hans/index.html'), 'utf8')).document;
    const link = index.querySelector('.article-list a');
    expect(link?.textContent).toBe('梅州打通基层党组织开展主题教育“最后一公里”纪实');
    expect(link?.getAttribute('href')).toBe('2019/meizhou-last-mile/');
  });

  it('should produce the same bytes when built again', async () => {
    const first = await snapshotTree(path.join(project, 'dist'));
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    expect(await snapshotTree(path.join(project, 'dist'))).toEqual(first);
  });
});

describe('broadsheet build ordering', () => {
  it('should list articles newest first, undated last', async () => {
    const project = await makeProject({ content: false });
    const content = path.join(project, 'content');
    await mkdir(content, { recursive: true });
    const article = (title: string, date?: string) => `---\ntitle: ${title}\n${date ? `date: ${date}\n` : ''}---\n\n正文。\n`;
    await writeFile(path.join(content, 'a.md'), article('旧闻', '2018-05-01'));
    await writeFile(path.join(content, 'b.md'), article('无日期'));
    await writeFile(path.join(content, 'c.md'), article('新闻', '2020-01-02'));
    await writeFile(path.join(content, 'd.md'), article('同年', '2019'));
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    const index = parseHTML(await readFile(path.join(project, 'dist/zh-hans/index.html'), 'utf8')).document;
    expect([...index.querySelectorAll('.card-title')].map((title) => title.textContent)).toEqual(['新闻', '同年', '旧闻', '无日期']);
  });
});

describe('broadsheet build failures', () => {
  it('should name the content file and line, exit 1 and leave the previous output untouched', async () => {
    const project = await makeProject();
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    const before = await snapshotTree(path.join(project, 'dist'));
    await writeFile(path.join(project, 'content/broken.md'), '---\ntitle: 坏日期\ndate: 2019-02-30\n---\n\n正文。\n');
    const run = await runBroadsheet(['build'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('content/broken.md:3:7  BS205  "2019-02-30" is not a date that exists');
    expect(run.stderr).toContain('> 3 | date: 2019-02-30');
    expect(run.stderr).toContain('hint:');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await snapshotTree(path.join(project, 'dist'))).toEqual(before);
    expect((await readdir(project)).filter((name) => name.startsWith('dist.'))).toEqual([]);
  });

  it('should list problems in several files at once', async () => {
    const project = await makeProject();
    await writeFile(path.join(project, 'content/one.md'), '---\ntitle: 一\nauthor: 甲\n---\n\n正文。\n');
    await writeFile(path.join(project, 'content/two.md'), '---\nkicker: 二\n---\n\n正文。\n');
    const run = await runBroadsheet(['build'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('content/one.md:3:1  BS204');
    expect(run.stderr).toContain('content/two.md:2:1  BS202');
    expect(run.stderr).toContain('2 problems found');
  });

  it('should report two files that claim one URL', async () => {
    const project = await makeProject();
    await writeFile(path.join(project, 'content/2019/copy.md'), '---\ntitle: 副本\nslug: meizhou-last-mile\n---\n\n正文。\n');
    const run = await runBroadsheet(['build'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/BS207 .*both write \/zh-hans\/2019\/meizhou-last-mile\//);
  });

  it('should name the template file and line of a template syntax error', async () => {
    const project = await makeProject();
    const file = path.join(project, 'templates/partials/toc.njk');
    await writeFile(file, `${await readFile(file, 'utf8')}\n{% if %}\n`);
    const run = await runBroadsheet(['build'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/templates\/partials\/toc\.njk:\d+:\d+  BS302/);
    await expect(stat(path.join(project, 'dist'))).rejects.toThrow();
  });

  it('should name a missing catalogue key and its catalogue', async () => {
    const project = await makeProject();
    const file = path.join(project, 'templates/article.njk');
    await writeFile(file, (await readFile(file, 'utf8')).replace('t("article.toc")', 't("article.nope")').replace('{% include "partials/toc.njk" %}', '<p>{{ t("article.nope") }}</p>'));
    const run = await runBroadsheet(['build'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/templates\/article\.njk:\d+:\d+  BS305  the zh-Hans string catalogue has no key "article\.nope"/);
    expect(run.stderr).toMatch(/templates\/article\.njk:\d+:\d+  BS305  the en string catalogue has no key "article\.nope"/);
  });

  it('should report a missing content folder', async () => {
    const project = await makeProject({ content: false });
    const run = await runBroadsheet(['build', '--content', 'nowhere'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('BS502');
  });

  it.each([
    ['a templates folder that is not there', ['--templates', 'nowhere'], /nowhere  BS502  the templates folder nowhere does not exist/],
    ['a templates folder that is a file', ['--templates', 'broadsheet.yaml'], /broadsheet\.yaml  BS502  the templates folder broadsheet\.yaml is not a folder/],
    ['a content folder that is a file', ['--content', 'broadsheet.yaml'], /broadsheet\.yaml  BS502  the content folder broadsheet\.yaml is not a folder/],
  ])('should report %s without a stack trace, in build and check alike', async (_name, options, message) => {
    const project = await makeProject();
    for (const command of ['build', 'check']) {
      const run = await runBroadsheet([command, ...options], project);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    await expect(stat(path.join(project, 'dist'))).rejects.toThrow();
  });

  describe('an output or cache folder that would take the user\'s files with it', () => {
    it.each([
      ['the content folder as output', ['build', '--out', 'content'], /content  BS403  the output folder content holds the content folder content/],
      ['the project folder as output', ['build', '--out', '.'], /BS403  the output folder \. holds the content folder/],
      ['an output folder inside the templates', ['build', '--out', 'templates/site'], /BS403  the output folder templates\/site lies inside the templates folder templates/],
      ['the configuration file as output', ['build', '--out', 'broadsheet.yaml'], /BS403  the output folder broadsheet\.yaml holds the configuration file/],
      ['the content folder as cache', ['build', '--cache-dir', 'content'], /BS403  the cache folder content holds the content folder content/],
      ['the parent folder as cache, in watch mode', ['watch', '--cache-dir', '..'], /BS403  the cache folder \.\. holds the content folder/],
      ['the working folder as cache, for clean', ['clean', '--cache-dir', '.'], /BS403  the cache folder \. holds the content folder/],
      ['the content folder as output, for clean', ['clean', '--out', 'content'], /BS403  the output folder content holds the content folder/],
    ])('should refuse %s, leaving every file as it was', async (_name, argv, message) => {
      const project = await makeProject();
      const before = await snapshotTree(project);
      const run = await runBroadsheet(argv, project);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(await snapshotTree(project)).toEqual(before);
    });

    it('should refuse to replace a folder of other files, and replace an earlier site', async () => {
      const project = await makeProject();
      await mkdir(path.join(project, 'notes'));
      await writeFile(path.join(project, 'notes/todo.txt'), 'keep me');
      const refused = await runBroadsheet(['build', '--out', 'notes'], project);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/notes  BS403  the output folder notes holds files broadsheet did not write \(todo\.txt\), and no \.broadsheet-output marker/);
      expect(await readFile(path.join(project, 'notes/todo.txt'), 'utf8')).toBe('keep me');
      const refusedClean = await runBroadsheet(['clean', '--out', 'notes'], project);
      expect(refusedClean.code).toBe(1);
      expect(await readFile(path.join(project, 'notes/todo.txt'), 'utf8')).toBe('keep me');
      // A site an earlier run wrote is what an output folder is for.
      expect((await runBroadsheet(['build', '--no-cache'], project)).code).toBe(0);
      expect((await runBroadsheet(['build', '--no-cache'], project)).code).toBe(0);
      expect((await runBroadsheet(['clean', '--out', 'dist'], project)).code).toBe(0);
      await expect(stat(path.join(project, 'dist'))).rejects.toThrow();
    });
  });

  it('should exit 2 on an unknown option', async () => {
    const project = await makeProject();
    const run = await runBroadsheet(['build', '--bogus'], project);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--bogus'");
  });

  it('should honour --content, --templates and --out', async () => {
    const project = await makeProject();
    await rename(path.join(project, 'broadsheet.yaml'), path.join(project, 'site.yaml'));
    await rename(path.join(project, 'templates'), path.join(project, 'theme'));
    await rename(path.join(project, 'content'), path.join(project, 'reports'));
    const run = await runBroadsheet(['build', '--content', 'reports', '--templates', 'theme', '--out', 'public', '--config', 'site.yaml'], project);
    expect(run.code).toBe(0);
    expect(await listFiles(path.join(project, 'public'))).toContain('zh-hans/2019/meizhou-last-mile/index.html');
  });
});

describe('broadsheet check', () => {
  it('should validate without writing anything', async () => {
    const project = await makeProject();
    const run = await runBroadsheet(['check'], project);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/no problems in 2 articles/);
    await expect(stat(path.join(project, 'dist'))).rejects.toThrow();
  });
});

describe('the folder guard of a long-lived builder', () => {
  it('should still refuse the content folder as cache once a broken configuration is fixed', async () => {
    const { Builder } = await import('../../src/pipeline/builder.js');
    const { projectOptions } = await import('../helpers/cli.js');
    const project = await makeProject();
    const options = { ...projectOptions(project), cacheDir: path.join(project, 'content') };
    const configText = await readFile(options.configFile, 'utf8');
    await writeFile(options.configFile, 'languages: [');
    const before = await snapshotTree(path.join(project, 'content'));
    const builder = new Builder(options);
    expect((await builder.build()).errors.map((error) => error.code)).toEqual(['BS501']);
    await writeFile(options.configFile, configText);
    expect((await builder.build({ config: true })).errors.map((error) => error.code)).toEqual(['BS403']);
    expect(await snapshotTree(path.join(project, 'content'))).toEqual(before);
  });
});
