import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDevSession, type DevSession } from '../../src/dev.js';
import { launchBrowser } from '../helpers/browser.js';
import { chromium } from '../helpers/tools.js';
import { makeProject, projectOptions } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

describe('live reload in a real browser', () => {
  let browser: Browser;
  let session: DevSession;
  let project: string;
  const log: string[] = [];

  beforeEach((context) => chromium.skipUnlessAvailable(context));

  beforeAll(async () => {
    if (!chromium.available) return;
    project = await makeProject({ search: false });
    session = await startDevSession({
      ...projectOptions(project),
      serve: { port: 0 },
      log: (line) => log.push(line),
      logError: (text) => log.push(text),
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await session?.close();
  });

  /** Waits in the page; a timeout says what the watcher logged meanwhile, which tells a missed edit from a missed event. */
  async function waitInPage(page: Page, condition: () => boolean, what: string): Promise<void> {
    const logged = log.length;
    await page.waitForFunction(condition, undefined, { timeout: 10_000 }).catch((error: unknown) => {
      throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}\nwatch log meanwhile:\n${log.slice(logged).join('\n') || '(nothing)'}`);
    });
  }

  async function openMarked(url: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(new URL(url, session.server?.url).href);
    await page.waitForFunction(() => document.querySelector('script[src="/__broadsheet/reload.js"]') !== null);
    await page.evaluate(() => Object.assign(window, { beforeEdit: true }));
    return page;
  }

  it('should reload an open page after its article is edited, and show then clear a build error', async () => {
    const page = await openMarked('zh-hans/2019/meizhou-last-mile/');
    const file = path.join(project, 'content/2019/meizhou-last-mile.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('火车跑得快', '火车跑得快又稳'));
    await waitInPage(page, () => document.body.textContent?.includes('火车跑得快又稳') ?? false, 'the edited text');
    expect(await page.evaluate(() => 'beforeEdit' in window)).toBe(false);

    await writeFile(file, text.replace('date: 2019', 'date: 2019-02-30'));
    const overlay = page.locator('#__broadsheet_overlay');
    await overlay.waitFor({ timeout: 10_000 });
    expect(await overlay.textContent()).toMatch(/content\/2019\/meizhou-last-mile\.md:\d+:\d+  BS205/);
    await writeFile(file, text);
    await overlay.waitFor({ state: 'detached', timeout: 10_000 });
    await page.close();
  });

  it('should reload a page whose article was rebuilt while the page was still loading', async () => {
    const page = await browser.newPage();
    const file = path.join(project, 'content/2019/meizhou-last-mile.md');
    const text = await readFile(file, 'utf8');
    // Hold the live-reload script back until the edit is built: the page cannot have heard the rebuild.
    let held = false;
    await page.route('**/__broadsheet/reload.js', async (route) => {
      if (held) return route.continue();
      held = true;
      const logged = log.length;
      await writeFile(file, text.replace('火车跑得快', '火车跑得真快'));
      await waitFor(() => log.slice(logged).some((line) => line.startsWith('[broadsheet] rebuilt')), 10_000, 'the rebuild');
      return route.continue();
    });
    await page.goto(new URL('zh-hans/2019/meizhou-last-mile/', session.server?.url).href);
    await waitInPage(page, () => document.body.textContent?.includes('火车跑得真快') ?? false, 'the text edited while loading');
    await writeFile(file, text);
    await session.idle();
    await page.close();
  });

  it('should reload a page left open across a restart of the dev server', async () => {
    const page = await openMarked('en/2019/meizhou-last-mile/');
    const port = session.server?.port ?? 0;
    await session.close();
    // The page's event stream retries every 500 ms; the new server does not know the rebuild it names.
    session = await startDevSession({
      ...projectOptions(project),
      serve: { port },
      log: (line) => log.push(line),
      logError: (text) => log.push(text),
    });
    expect(session.server?.port).toBe(port);
    await waitInPage(page, () => !('beforeEdit' in window) && document.readyState === 'complete', 'the reload after the restart');
    await page.close();
  });

  it('should swap the stylesheet without reloading the page when only CSS changes', async () => {
    const page = await openMarked('en/2019/meizhou-last-mile/');
    const css = path.join(project, 'templates/assets/style.css');
    await writeFile(css, `${await readFile(css, 'utf8')}\nbody { outline: 7px solid rgb(1, 2, 3); }\n`);
    await waitInPage(page, () => getComputedStyle(document.body).outlineWidth === '7px', 'the new stylesheet');
    expect(await page.evaluate(() => 'beforeEdit' in window)).toBe(true);
    await page.close();
  });
});
