import { statSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { launchBrowser } from '../helpers/browser.js';
import { chromium } from '../helpers/tools.js';
import { makeProject, runBroadsheet } from '../helpers/cli.js';

// The search index is split into one Pagefind bundle per edition and content
// folder. A search must find articles in every folder, and a one-shot rebuild
// after an edit must re-index only the folders whose article pages changed.

const report = (title: string, body: string): string => `---\ntitle: ${title}\ndate: 2018-05-01\n---\n\n${body}\n`;

/** Builds the project and serves its output to a new browser. */
async function buildAndServe(project: string): Promise<{ server: RunningServer; browser: Browser }> {
  const run = await runBroadsheet(['build'], project);
  expect(run.stderr).toBe('');
  return { server: await startServer({ root: path.join(project, 'dist'), port: 0, liveReload: false }), browser: await launchBrowser() };
}

/** The result paths a search page lists for `query`. */
async function searchSite(browser: Browser, server: RunningServer, edition: string, query: string): Promise<string[]> {
  const page = await browser.newPage();
  await page.goto(new URL(`${edition}/search/?q=${encodeURIComponent(query)}`, server.url).href);
  await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 10_000 });
  // Results from merged bundles arrive a moment after the first ones.
  await page.waitForTimeout(500);
  const paths = await page.locator('.pagefind-ui__result-link').evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
  await page.close();
  return [...new Set(paths)].sort();
}

describe('search across content folders', () => {
  let project: string;
  let browser: Browser;
  let server: RunningServer;

  beforeEach((context) => chromium.skipUnlessAvailable(context));

  beforeAll(async () => {
    if (!chromium.available) return;
    project = await makeProject({ search: true });
    for (const [folder, title] of [['2018', '围龙屋修缮记'], ['2020', '围龙屋里的课堂']] as const) {
      await mkdir(path.join(project, 'content', folder), { recursive: true });
      await writeFile(path.join(project, 'content', folder, 'weilongwu.md'), report(title, `石窟河边的客家围龙屋是梅州的名片。${title}。`));
    }
    ({ server, browser } = await buildAndServe(project));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const search = (edition: string, query: string): Promise<string[]> => searchSite(browser, server, edition, query);

  it('should keep one bundle per edition and folder', async () => {
    expect((await readdir(path.join(project, 'dist/zh-hans/pagefind'))).sort()).toEqual(['2018', '2019', '2020']);
    expect((await readdir(path.join(project, 'dist/en/pagefind'))).sort()).toEqual(['2019']);
  });

  it('should find articles in every folder from one search page', async () => {
    expect(await search('zh-hans', '石窟河')).toEqual(['/zh-hans/2018/weilongwu/', '/zh-hans/2020/weilongwu/']);
    expect(await search('zh-hant', '石窟河')).toEqual(['/zh-hant/2018/weilongwu/', '/zh-hant/2020/weilongwu/']);
  });

  it('should re-index only the folder of an edited article, and find its new text', async () => {
    const entry = (edition: string, folder: string): number => statSync(path.join(project, 'dist', edition, 'pagefind', folder, 'pagefind-entry.json')).mtimeMs;
    const before = { y2018: entry('zh-hans', '2018'), y2019: entry('zh-hans', '2019'), y2020: entry('zh-hans', '2020'), en: entry('en', '2019') };
    const bundle2020 = path.join(project, 'dist/zh-hans/pagefind/2020');
    const fragmentsBefore = await readdir(path.join(bundle2020, 'fragment'));
    const scriptBefore = statSync(path.join(bundle2020, 'pagefind.js')).mtimeMs;
    await appendFile(path.join(project, 'content/2020/weilongwu.md'), '\n新增的段落提到了雁南飞茶田。\n');
    const run = await runBroadsheet(['build'], project);
    expect(run.code).toBe(0);
    expect(entry('zh-hans', '2020')).not.toBe(before.y2020);
    // Inside the re-indexed bundle only the changed files are replaced: Pagefind's script keeps its
    // time, and the edited page's old fragment gives way to its new one.
    expect(statSync(path.join(bundle2020, 'pagefind.js')).mtimeMs).toBe(scriptBefore);
    const fragmentsAfter = await readdir(path.join(bundle2020, 'fragment'));
    expect(fragmentsAfter).toHaveLength(fragmentsBefore.length);
    expect(fragmentsAfter).not.toEqual(fragmentsBefore);
    expect(entry('zh-hans', '2018')).toBe(before.y2018);
    expect(entry('zh-hans', '2019')).toBe(before.y2019);
    expect(entry('en', '2019')).toBe(before.en);
    expect(await search('zh-hans', '雁南飞')).toEqual(['/zh-hans/2020/weilongwu/']);
  });

  it('should remove the bundle of a folder that has no articles left', async () => {
    await rm(path.join(project, 'content/2018'), { recursive: true });
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    expect((await readdir(path.join(project, 'dist/zh-hans/pagefind'))).sort()).toEqual(['2019', '2020']);
    expect(await search('zh-hans', '石窟河')).toEqual(['/zh-hans/2020/weilongwu/']);
  });
});

// A folder with more article pages than `searchBundlePages` is split into parts, each its own
// bundle: Pagefind's memory grows with the bundle it builds.
describe('search in a folder split into several bundles', () => {
  let project: string;
  let browser: Browser;
  let server: RunningServer;
  // One landmark per article, none shared: each search must find its article, whichever part holds it.
  const landmarks = ['茶田', '温泉', '古桥', '书院', '渡口', '祠堂', '梯田'];

  beforeEach((context) => chromium.skipUnlessAvailable(context));

  beforeAll(async () => {
    if (!chromium.available) return;
    project = await makeProject({ search: true });
    const config = path.join(project, 'broadsheet.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace(/^searchBundlePages: \d+/m, 'searchBundlePages: 2'));
    await mkdir(path.join(project, 'content/2021'), { recursive: true });
    for (const [index, landmark] of landmarks.entries()) {
      await writeFile(path.join(project, 'content/2021', `town-${index + 1}.md`), report(`${landmark}记`, `${landmark}迎来了修缮队。`));
    }
    ({ server, browser } = await buildAndServe(project));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const parts = async (): Promise<string[]> => (await readdir(path.join(project, 'dist/zh-hans/pagefind'))).filter((name) => name.startsWith('2021')).sort();

  it('should split the folder into numbered parts, none empty', async () => {
    const names = await parts();
    // Seven pages at two a bundle make four parts; an article's part comes from a hash, so one may stay empty and have none.
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(names.length).toBeLessThanOrEqual(4);
    for (const name of names) expect(name).toMatch(/^2021\.[1-4]$/);
    // The shipped report's folder has one page: one bundle, not split.
    expect(await readdir(path.join(project, 'dist/zh-hans/pagefind'))).toContain('2019');
  });

  it('should find every article of the folder from the one search page', async () => {
    // One page, searched again for each landmark, as a reader would: loading Pagefind once.
    const page = await browser.newPage();
    await page.goto(new URL('zh-hans/search/', server.url).href);
    for (const [index, landmark] of landmarks.entries()) {
      await page.locator('#search input').fill(landmark);
      await page.locator(`.pagefind-ui__result-link[href$="/zh-hans/2021/town-${index + 1}/"]`).first().waitFor({ timeout: 10_000 });
    }
    await page.close();
  });

  it('should re-index only the part of an edited article', async () => {
    const entry = (name: string): number => statSync(path.join(project, 'dist/zh-hans/pagefind', name, 'pagefind-entry.json')).mtimeMs;
    const names = await parts();
    const before = new Map(names.map((name) => [name, entry(name)]));
    await appendFile(path.join(project, 'content/2021/town-1.md'), '\n新的一段写到了客家山歌。\n');
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    expect(await parts()).toEqual(names);
    const changed = names.filter((name) => entry(name) !== before.get(name));
    expect(changed.length).toBe(1);
    expect(await searchSite(browser, server, 'zh-hans', '山歌')).toEqual(['/zh-hans/2021/town-1/']);
  });
});
