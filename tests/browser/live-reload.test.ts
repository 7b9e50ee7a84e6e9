import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWatching, type WatchSession } from '../../src/watch/index.js';
import { launchBrowser } from '../helpers/browser.js';
import { makeProject, projectOptions } from '../helpers/cli.js';

describe('live reload in a real browser', () => {
  let browser: Browser;
  let session: WatchSession;
  let project: string;

  beforeAll(async () => {
    project = await makeProject();
    session = await startWatching({
      ...projectOptions(project),
      serve: { port: 0 },
      log: () => undefined,
      logError: () => undefined,
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await session?.close();
  });

  it('should reload an open page after its article is edited, and show then clear a build error', async () => {
    const page = await browser.newPage();
    const url = new URL('zh-hans/2019/meizhou-last-mile/', session.server?.url).href;
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector('script[src="/__broadsheet/reload.js"]') !== null);
    await page.evaluate(() => Object.assign(window, { beforeEdit: true }));
    const file = path.join(project, 'content/2019/meizhou-last-mile.md');
    const text = await readFile(file, 'utf8');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writeFile(file, text.replace('火车跑得快', '火车跑得快又稳'));
    await page.waitForFunction(() => document.body.textContent?.includes('火车跑得快又稳'), undefined, { timeout: 10_000 });
    expect(await page.evaluate(() => 'beforeEdit' in window)).toBe(false);

    await writeFile(file, text.replace('date: 2019', 'date: 2019-02-30'));
    const overlay = page.locator('#__broadsheet_overlay');
    await overlay.waitFor({ timeout: 10_000 });
    expect(await overlay.textContent()).toMatch(/content\/2019\/meizhou-last-mile\.md:\d+:\d+  BS205/);
    await writeFile(file, text);
    await overlay.waitFor({ state: 'detached', timeout: 10_000 });
    await page.close();
  });

  it('should swap the stylesheet without reloading the page when only CSS changes', async () => {
    const page = await browser.newPage();
    await page.goto(new URL('en/2019/meizhou-last-mile/', session.server?.url).href);
    await page.waitForFunction(() => document.querySelector('script[src="/__broadsheet/reload.js"]') !== null);
    await page.evaluate(() => Object.assign(window, { beforeEdit: true }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const css = path.join(project, 'templates/assets/style.css');
    await writeFile(css, `${await readFile(css, 'utf8')}\nbody { outline: 7px solid rgb(1, 2, 3); }\n`);
    await page.waitForFunction(() => getComputedStyle(document.body).outlineWidth === '7px', undefined, { timeout: 10_000 });
    expect(await page.evaluate(() => 'beforeEdit' in window)).toBe(true);
    await page.close();
  });
});
