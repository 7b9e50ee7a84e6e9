import { statSync } from 'node:fs';
import { appendFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { launchBrowser } from '../helpers/browser.js';
import { makeProject, runBroadsheet } from '../helpers/cli.js';

// The search index is split into one Pagefind bundle per edition and content
// folder. A search must find articles in every folder, and a one-shot rebuild
// after an edit must re-index only the folders whose article pages changed.

const report = (title: string, body: string): string => `---\ntitle: ${title}\ndate: 2018-05-01\n---\n\n${body}\n`;

describe('search across content folders', () => {
  let project: string;
  let browser: Browser;
  let server: RunningServer;

  beforeAll(async () => {
    project = await makeProject();
    for (const [folder, title] of [['2018', '围龙屋修缮记'], ['2020', '围龙屋里的课堂']] as const) {
      await mkdir(path.join(project, 'content', folder), { recursive: true });
      await writeFile(path.join(project, 'content', folder, 'weilongwu.md'), report(title, `石窟河边的客家围龙屋是梅州的名片。${title}。`));
    }
    const run = runBroadsheet(['build'], project);
    expect(run.stderr).toBe('');
    server = await startServer({ root: path.join(project, 'dist'), port: 0, liveReload: false });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function search(edition: string, query: string): Promise<string[]> {
    const page = await browser.newPage();
    await page.goto(new URL(`${edition}/search/?q=${encodeURIComponent(query)}`, server.url).href);
    await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 10_000 });
    // Results from merged bundles arrive a moment after the first ones.
    await page.waitForTimeout(500);
    const paths = await page.locator('.pagefind-ui__result-link').evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
    await page.close();
    return [...new Set(paths)].sort();
  }

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
    await appendFile(path.join(project, 'content/2020/weilongwu.md'), '\n新增的段落提到了雁南飞茶田。\n');
    const run = runBroadsheet(['build'], project);
    expect(run.code).toBe(0);
    expect(entry('zh-hans', '2020')).not.toBe(before.y2020);
    expect(entry('zh-hans', '2018')).toBe(before.y2018);
    expect(entry('zh-hans', '2019')).toBe(before.y2019);
    expect(entry('en', '2019')).toBe(before.en);
    expect(await search('zh-hans', '雁南飞')).toEqual(['/zh-hans/2020/weilongwu/']);
  });

  it('should remove the bundle of a folder that has no articles left', async () => {
    await rm(path.join(project, 'content/2018'), { recursive: true });
    expect(runBroadsheet(['build'], project).code).toBe(0);
    expect((await readdir(path.join(project, 'dist/zh-hans/pagefind'))).sort()).toEqual(['2019', '2020']);
    expect(await search('zh-hans', '石窟河')).toEqual(['/zh-hans/2020/weilongwu/']);
  });
});
