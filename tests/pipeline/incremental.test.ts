import { cp, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Builder } from '../../src/pipeline/builder.js';
import { build } from '../../src/pipeline/index.js';
import type { BuildOptions } from '../../src/model/build.js';
import { root } from '../helpers/paths.js';
import { writeCorpus } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { hashTree } from '../helpers/tree.js';

interface Project {
  readonly dir: string;
  readonly options: BuildOptions;
  readonly content: string;
  readonly templates: string;
}

/** A project of the shipped content and `articles` generated reports; search, which costs most of a build, only when asked for. */
async function makeCorpusProject(articles = 12, search = false): Promise<Project> {
  const dir = await tempDir('broadsheet-incremental');
  await cp(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true });
  const config = await readFile(path.join(root, 'broadsheet.yaml'), 'utf8');
  await writeFile(path.join(dir, 'broadsheet.yaml'), search ? config : config.replace(/^search: true$/m, 'search: false'));
  await cp(path.join(root, 'gazetteer'), path.join(dir, 'gazetteer'), { recursive: true });
  await cp(path.join(root, 'content'), path.join(dir, 'content'), { recursive: true });
  writeCorpus(path.join(dir, 'content'), { articles, translations: true });
  const options = {
    contentDir: path.join(dir, 'content'),
    templatesDir: path.join(dir, 'templates'),
    outDir: path.join(dir, 'dist'),
    configFile: path.join(dir, 'broadsheet.yaml'),
  };
  return { dir, options, content: options.contentDir, templates: options.templatesDir };
}

/** A fresh, full build of the same files, for comparison. */
async function freshBuild(project: Project): Promise<Record<string, string>> {
  const outDir = path.join(project.dir, `fresh-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const report = await new Builder({ ...project.options, outDir }).build();
  expect(report.errors).toEqual([]);
  const tree = await hashTree(outDir);
  await rm(outDir, { recursive: true });
  return tree;
}

async function contentFiles(project: Project): Promise<string[]> {
  const entries = await readdir(project.content, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)).sort();
}

describe('Builder rebuilds', () => {
  let project: Project;
  let builder: Builder;

  beforeEach(async () => {
    project = await makeCorpusProject();
    builder = new Builder(project.options);
    expect((await builder.build()).errors).toEqual([]);
  });

  it('should re-render only the edited article in every edition and the indexes listing it', async () => {
    const file = path.join(project.content, '2019/meizhou-last-mile.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('火车跑得快', '火车跑得真快'));
    const report = await builder.build({ content: [file] });
    const articlePages = [
      '/zh-hans/2019/meizhou-last-mile/',
      '/zh-hans/2019/meizhou-last-mile/parallel/',
      '/zh-hant/2019/meizhou-last-mile/',
      '/zh-hant/2019/meizhou-last-mile/parallel/',
      '/en/2019/meizhou-last-mile/parallel/',
    ];
    // A change of text only: the listings show nothing that changed, so they are not even re-rendered;
    // nor is the English article page, which only names and links the source (by its card).
    expect(report.rendered).toEqual(expect.arrayContaining(articlePages));
    expect(report.rendered).not.toContain('/zh-hans/');
    expect(report.rendered).not.toContain('/en/2019/meizhou-last-mile/');
    // Beyond its own pages, only pages that show it are looked at again: listings, and its newer and
    // older neighbours (which link to it by title) — at most two per edition.
    const others = report.rendered.filter((url) => !articlePages.includes(url));
    const neighbours = others.filter(
      (url) => !/^\/[a-z-]+\/(?:(?:archive|places|authors|tags)\/.+)?$/.test(url) && !/(?:feed\.xml|rss\.xml|feed\.json|sitemap.*\.xml)$/.test(url),
    );
    expect(neighbours.length).toBeLessThanOrEqual(6);
    expect(neighbours.every((url) => /^\/[a-z-]+\/\d{4}\/a\d{6}\/$/.test(url))).toBe(true);
    expect(others.length).toBeLessThan(40);
    // Written: the pages whose bytes changed, and the feeds that carry the article's full text.
    const expectedPages = [
      'zh-hans/2019/meizhou-last-mile/index.html',
      'zh-hans/2019/meizhou-last-mile/parallel/index.html',
      'zh-hant/2019/meizhou-last-mile/index.html',
      'zh-hant/2019/meizhou-last-mile/parallel/index.html',
      'en/2019/meizhou-last-mile/parallel/index.html',
    ];
    expect(report.written.filter((file) => !/\/(?:feed\.xml|rss\.xml|feed\.json)$/.test(file)).sort()).toEqual(expectedPages.sort());
    expect(await readFile(path.join(project.options.outDir, 'zh-hant/2019/meizhou-last-mile/index.html'), 'utf8')).toContain('火車跑得真快');
    expect(await hashTree(project.options.outDir)).toEqual(await freshBuild(project));
  });

  it('should re-render only the pages that include an edited partial', async () => {
    const partial = path.join(project.templates, 'partials/toc.njk');
    await writeFile(partial, (await readFile(partial, 'utf8')).replace('<nav class="toc"', '<nav class="toc contents"'));
    const report = await builder.build({ templates: true });
    expect(report.rendered.length).toBeGreaterThan(0);
    expect(report.rendered.every((url) => !url.endsWith('/parallel/') && url.split('/').length > 3)).toBe(true);
    expect(await hashTree(project.options.outDir)).toEqual(await freshBuild(project));
  });

  it('should re-render one language after its catalogue changes', async () => {
    const catalogue = path.join(project.templates, 'i18n/en.yaml');
    await writeFile(catalogue, (await readFile(catalogue, 'utf8')).replace('toc: Contents', 'toc: In this report'));
    const report = await builder.build({ templates: true });
    expect(report.rendered.length).toBeGreaterThan(0);
    expect(report.rendered.every((url) => url.startsWith('/en/'))).toBe(true);
    expect(await hashTree(project.options.outDir)).toEqual(await freshBuild(project));
  });

  it('should remove a deleted article everywhere and move a renamed one', async () => {
    const [first, second] = (await contentFiles(project)).filter((file) => /a0000\d\d\.md$/.test(file));
    if (!first || !second) throw new Error('corpus too small');
    await rm(first);
    await rm(first.replace(/\.md$/, '.en.md'));
    await rename(second, second.replace(/a0000(\d\d)\.md$/, 'renamed-$1.md'));
    await rename(second.replace(/\.md$/, '.en.md'), second.replace(/a0000(\d\d)\.md$/, 'renamed-$1.en.md'));
    const report = await builder.build({ content: [first, second] });
    expect(report.errors).toEqual([]);
    expect(report.deleted.length).toBeGreaterThanOrEqual(12);
    expect(await hashTree(project.options.outDir)).toEqual(await freshBuild(project));
  });

  it('should keep the last good output on an error, and recover when it is fixed', async () => {
    const before = await hashTree(project.options.outDir);
    const file = path.join(project.content, '2019/meizhou-last-mile.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('title:', 'title: [broken'));
    const failed = await builder.build({ content: [file] });
    expect(failed.errors.map((error) => [error.code, error.line])).toEqual([['BS201', 3]]);
    expect(await hashTree(project.options.outDir)).toEqual(before);
    const template = path.join(project.templates, 'article.njk');
    const templateText = await readFile(template, 'utf8');
    await writeFile(template, `${templateText}{% endblock %}`);
    expect((await builder.build({ templates: true })).errors.map((error) => error.code)).toContain('BS302');
    await writeFile(template, templateText);
    await writeFile(file, text);
    const fixed = await builder.build({ content: [file], templates: true });
    expect(fixed.errors).toEqual([]);
    expect(await hashTree(project.options.outDir)).toEqual(before);
  });

  it('should recover from a failed rebuild that had already updated the archive', async () => {
    const clash = path.join(project.content, '2019/clash.md');
    await writeFile(clash, '---\ntitle: 冲突\nslug: meizhou-last-mile\n---\n\n正文。\n');
    const failed = await builder.build({ content: [clash] });
    expect(new Set(failed.errors.map((error) => error.code))).toEqual(new Set(['BS207']));
    const partial = path.join(project.templates, 'partials/byline.njk');
    const partialText = await readFile(partial, 'utf8');
    await rm(clash);
    await writeFile(partial, `${partialText}{{ nothing() }}`);
    expect((await builder.build({ content: [clash], templates: true })).errors.map((error) => error.code)).toEqual(['BS303']);
    await writeFile(partial, partialText);
    const moved = path.join(project.content, '2019/meizhou-last-mile.en.md');
    await rename(moved, moved.replace('.en.md', '.en.md.bak'));
    const fixed = await builder.build({ content: [moved], templates: true });
    expect(fixed.errors).toEqual([]);
    expect(await hashTree(project.options.outDir)).toEqual(await freshBuild(project));
  });

  it('should rebuild everything consistently after a configuration change', async () => {
    const config = path.join(project.dir, 'broadsheet.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('Meizhou News Archive', 'Meizhou Archive'));
    const report = await builder.build({ config: true });
    expect(report.rendered.length).toBe(report.pages);
    expect(report.written.length).toBeGreaterThan(0);
    // The English site title appears on English pages, and in the news sitemap's publication names.
    expect(report.written.filter((file) => !file.startsWith('en/') && file !== 'sitemap-news.xml')).toEqual([]);
    expect(await hashTree(project.options.outDir)).toEqual(await freshBuild(project));
  });

  it('should write nothing when nothing changed', async () => {
    const report = await builder.build({ content: [] });
    expect(report.rendered).toEqual([]);
    expect(report.written).toEqual([]);
  });

});

describe('Builder rebuilds, search index included', () => {
  it('should equal a fresh build after a random sequence of edits, adds, deletes and renames', async () => {
    const project = await makeCorpusProject(12, true);
    const builder = new Builder(project.options);
    expect((await builder.build()).errors).toEqual([]);
    let seed = 20191126;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    for (let step = 0; step < 40; step++) {
      const files = await contentFiles(project);
      const file = pick(files);
      const changed: string[] = [file];
      const operation = pick(['edit', 'edit', 'add', 'delete', 'rename', 'template', 'catalogue', 'translation'] as const);
      if (operation === 'edit') await writeFile(file, `${await readFile(file, 'utf8')}\n编辑 ${step}。\n`);
      else if (operation === 'add') {
        const added = path.join(project.content, `added/s${step}.md`);
        await mkdir(path.dirname(added), { recursive: true });
        await writeFile(added, `---\ntitle: 新增 ${step}\ndate: 2020-0${1 + (step % 9)}-1${step % 10}\n---\n\n导语 ${step}。\n\n## 小节\n\n正文。\n`);
        changed.push(added);
      } else if (operation === 'delete' && !file.endsWith('meizhou-last-mile.md')) {
        await rm(file);
        const translation = file.replace(/\.md$/, '.en.md');
        if (!file.endsWith('.en.md')) await rm(translation, { force: true });
        changed.push(translation);
      } else if (operation === 'rename' && !file.endsWith('.en.md') && !file.includes('meizhou')) {
        const target = file.replace(/([^/]+)\.md$/, `r${step}-$1.md`);
        await rename(file, target);
        changed.push(target);
        const translation = file.replace(/\.md$/, '.en.md');
        await rename(translation, target.replace(/\.md$/, '.en.md')).catch(() => undefined);
      } else if (operation === 'template') {
        const partial = path.join(project.templates, 'partials/byline.njk');
        await writeFile(partial, (await readFile(partial, 'utf8')).replace(/<p class="byline[^"]*">/, `<p class="byline v${step}">`));
      } else if (operation === 'catalogue') {
        const catalogue = path.join(project.templates, 'i18n/zh-Hans.yaml');
        await writeFile(catalogue, (await readFile(catalogue, 'utf8')).replace(/toc: .*/, `toc: 目录${step}`));
      } else if (operation === 'translation' && !file.endsWith('.en.md')) {
        const translation = file.replace(/\.md$/, '.en.md');
        await writeFile(translation, `---\ntitle: Translation ${step}\n---\n\nLead ${step}.\n`);
        changed.push(translation);
      }
      const report = await builder.build({ content: changed, templates: operation === 'template' || operation === 'catalogue' });
      expect(report.errors).toEqual([]);
    }
    if (process.env.DEBUG_DIFF) {
      const fresh = path.join(project.dir, 'fresh-debug');
      await new Builder({ ...project.options, outDir: fresh }).build();
      const a = await hashTree(project.options.outDir);
      const b = await hashTree(fresh);
      const bad = Object.keys(a).find((file) => a[file] !== b[file]);
      if (bad) console.log('DIFF', bad, '\n--- incremental\n', await readFile(path.join(project.options.outDir, bad), 'utf8'), '\n--- fresh\n', await readFile(path.join(fresh, bad), 'utf8'));
    }
    expect(await hashTree(project.options.outDir)).toEqual(await freshBuild(project));
  }, 120_000);

  it('should re-index search after a template edit only when the indexed text changed', async () => {
    const project = await makeCorpusProject(6, true);
    const builder = new Builder({ ...project.options, persist: true });
    expect((await builder.build()).errors).toEqual([]);
    const bundles = async (): Promise<Record<string, string>> =>
      Object.fromEntries(Object.entries(await hashTree(project.options.outDir)).filter(([file]) => file.includes('/pagefind/')));
    const before = await bundles();
    expect(Object.keys(before).length).toBeGreaterThan(0);
    // Pagefind writes the same bytes for the same text, so whether a build indexed shows in its steps.
    const indexed: boolean[] = [];
    const edit = async (file: string, from: string, to: string): Promise<readonly string[]> => {
      const target = path.join(project.templates, file);
      await writeFile(target, (await readFile(target, 'utf8')).replace(from, to));
      const report = await builder.build({ templates: true });
      expect(report.errors).toEqual([]);
      indexed.push(report.steps.search !== undefined);
      return report.written;
    };

    // A comment in the article and a change of the layout's footer: every article page is rewritten, no index is.
    const chrome = [...(await edit('article.njk', '</article>', '<!-- edited --></article>')), ...(await edit('layouts/base.njk', '<footer class="site-footer">', '<footer class="site-footer edited">'))];
    const articles = Object.keys(await hashTree(project.options.outDir)).filter((file) => /^zh-hans\/.*\/a\d+\/index\.html$/.test(file));
    expect(articles.length).toBeGreaterThan(0);
    for (const file of articles) expect(chrome).toContain(file);
    expect(indexed).toEqual([false, false]);
    expect(await bundles()).toEqual(before);
    expect(await hashTree(project.options.outDir)).toEqual(await freshBuild(project));

    // Text added inside the indexed part changes the index.
    await edit('article.njk', '<!-- edited --></article>', '<p>索引新词</p></article>');
    expect(indexed).toEqual([false, false, true]);
    expect(await bundles()).not.toEqual(before);
    expect(await hashTree(project.options.outDir)).toEqual(await freshBuild(project));
  }, 120_000);
  it("should in watch mode leave the indexed text to the search step, which re-indexes only when it changed", async () => {
    // Enough article pages for the render threads, where watch mode renders them.
    const project = await makeCorpusProject(140, true);
    const cacheDir = path.join(project.dir, '.cache');
    const builder = new Builder({ ...project.options, cacheDir, workers: 2, deferSearch: true, keepRenderThreads: true });
    const bundles = async (): Promise<Record<string, string>> =>
      Object.fromEntries(Object.entries(await hashTree(project.options.outDir)).filter(([file]) => file.includes('/pagefind/')));
    const edit = async (from: string, to: string): Promise<readonly string[]> => {
      const target = path.join(project.templates, 'article.njk');
      await writeFile(target, (await readFile(target, 'utf8')).replace(from, to));
      const report = await builder.build({ templates: true });
      expect(report.errors).toEqual([]);
      return report.written;
    };
    let before: Record<string, string> = {};
    try {
      expect((await builder.build()).errors).toEqual([]);
      expect(await builder.indexSearch()).toBe('indexed');
      before = await bundles();

      // A comment: every article page is rewritten, and the search step finds no indexed text changed.
      expect((await edit('</article>', '<!-- edited --></article>')).length).toBeGreaterThan(400);
      expect(await builder.indexSearch()).toBe('nothing');
      expect(await bundles()).toEqual(before);

      // Text inside the indexed part, and the session ends before its index ran: held off by edits, then closed.
      await edit('<!-- edited --></article>', '<p>索引新词</p></article>');
      expect(await builder.indexSearch(() => true)).toBe('held');
      expect(await builder.saveRecord()).toBe(true);
    } finally {
      await builder.close();
    }
    // The record says which bundles are behind: the next build indexes them, and nothing else.
    const next = await build({ ...project.options, cacheDir, persist: true });
    expect(next.errors).toEqual([]);
    expect(next.rendered).toEqual([]);
    expect(next.steps.search).toBeDefined();
    expect(await bundles()).not.toEqual(before);
    expect(await hashTree(project.options.outDir)).toEqual(await freshBuild(project));
    expect((await build({ ...project.options, cacheDir, persist: true })).upToDate).toBe(true);
  }, 180_000);
});
