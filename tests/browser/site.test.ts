import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveShippedSite, type ServedSite } from '../helpers/browser.js';
import { chromium } from '../helpers/tools.js';
import { root } from '../helpers/paths.js';

const screenshots = path.join(root, 'test-results/screenshots');

describe('the built archive in a real browser', () => {
  let site: ServedSite | undefined;
  let browser: Browser;
  let context: BrowserContext;
  const url = (address: string): string => site?.url(address) ?? '';

  beforeEach((context) => chromium.skipUnlessAvailable(context));

  beforeAll(async () => {
    if (!chromium.available) return;
    site = await serveShippedSite();
    ({ browser, context } = site);
    await mkdir(screenshots, { recursive: true });
  });

  afterAll(() => site?.close());

  /** Searches an edition's search page as a reader types: the result pages (once each) and the interface's message. */
  async function searchEdition(page: Page, edition: string, query: string): Promise<{ paths: string[]; message: string }> {
    await page.goto(url(`/${edition}/search/`));
    const input = page.locator('#search input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(query);
    await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 10_000 });
    const paths = await page.locator('.pagefind-ui__result-link').evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
    // Sub-results link to sections of the same page.
    return { paths: [...new Set(paths)], message: (await page.locator('.pagefind-ui__message').textContent()) ?? '' };
  }

  it('should take a reader from the front page to the report, across languages, to the parallel view, and find it by search', async () => {
    const page = await context.newPage();
    await page.goto(url('/'));
    await page.getByRole('link', { name: '简体中文' }).click();
    await page.getByRole('link', { name: '梅州打通基层党组织开展主题教育“最后一公里”纪实' }).first().click();
    expect(await page.locator('h1').textContent()).toBe('梅州打通基层党组织开展主题教育“最后一公里”纪实');

    await page.locator('nav.toc').getByRole('link', { name: '抓关键少数' }).click();
    expect(new URL(page.url()).hash).toBe('#s2');
    expect(await page.locator('#s2').isVisible()).toBe(true);

    await page.locator('nav.switcher').getByRole('link', { name: 'English' }).click();
    expect(new URL(page.url()).pathname).toBe('/en/2019/meizhou-last-mile/');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.locator('.parallel-offer a').click();
    expect(new URL(page.url()).pathname).toBe('/en/2019/meizhou-last-mile/parallel/');
    expect(await page.locator('.parallel-row').count()).toBeGreaterThan(15);

    await page.goto(url('/zh-hans/search/'));
    const input = page.locator('#search input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('党员');
    const result = page.locator('.pagefind-ui__result-link').first();
    await result.waitFor({ timeout: 10_000 });
    expect(await result.textContent()).toContain('梅州打通基层党组织');
    await result.click();
    await page.waitForURL(/\/zh-hans\/2019\/meizhou-last-mile\//);
    await page.close();
  });

  it('should find "Party members" in the English edition and 梅州 in the Traditional one, each in its own index', async () => {
    const page = await context.newPage();
    const search = async (edition: string, query: string): Promise<string[]> => (await searchEdition(page, edition, query)).paths;
    expect(await search('en', 'Party members')).toEqual(['/en/2019/meizhou-last-mile/']);
    expect(await search('zh-hant', '梅州')).toEqual(['/zh-hant/2019/meizhou-last-mile/']);
    expect(await search('zh-hans', '梅州')).toEqual(['/zh-hans/2019/meizhou-last-mile/']);
    await page.close();
  });

  it('should find the report in both Chinese editions whichever script the query is typed in, and speak each edition\'s script', async () => {
    const page = await context.newPage();
    const search = (edition: string, query: string): Promise<{ paths: string[]; message: string }> => searchEdition(page, edition, query);
    for (const edition of ['zh-hans', 'zh-hant']) {
      // 党员 as a Simplified input method types it, 黨員 as a Traditional one does.
      for (const query of ['党员', '黨員']) {
        expect((await search(edition, query)).paths, `${query} in ${edition}`).toEqual([`/${edition}/2019/meizhou-last-mile/`]);
      }
    }
    // The interface's own text is in the edition's script, whatever the query's.
    const traditional = await search('zh-hant', '党员');
    expect(traditional.message).toMatch(/找到 1 篇與「党员」相關的報道/);
    expect((await search('zh-hans', '黨員')).message).toMatch(/找到 1 篇与“黨員”相关的报道/);
    expect(await page.locator('#search input').getAttribute('placeholder')).toBe('输入关键词，如“党员”“梅州”');
    await page.goto(url('/zh-hant/search/'));
    await page.locator('#search input').waitFor({ timeout: 10_000 });
    expect(await page.locator('#search input').getAttribute('placeholder')).toBe('輸入關鍵詞，如「黨員」「梅州」');
    await page.close();
  });

  it('should index the report itself, not what every article page says around it', async () => {
    const page = await context.newPage();
    // The date and length line, the links to the other editions and the table of contents are on every
    // article page: indexed, a search for their words would find every report.
    const findsNothing = async (edition: string, query: string, zero: RegExp): Promise<void> => {
      await page.goto(url(`/${edition}/search/`));
      const input = page.locator('#search input');
      await input.waitFor({ timeout: 10_000 });
      await input.fill(query);
      await expect.poll(async () => (await page.locator('.pagefind-ui__message').textContent()) ?? '', { timeout: 10_000 }).toMatch(zero);
      expect(await page.locator('.pagefind-ui__result-link').count(), `${query} in ${edition}`).toBe(0);
    };
    await findsNothing('zh-hans', '分钟', /没有找到/);
    await findsNothing('zh-hans', '目录', /没有找到/);
    await findsNothing('zh-hant', '轉換', /沒有找到/);
    await findsNothing('en', 'side', /No reports found/);
    // A section heading is still found where it belongs, in its section.
    expect((await searchEdition(page, 'zh-hans', '关键少数')).paths).toEqual(['/zh-hans/2019/meizhou-last-mile/']);
    await page.close();
  });

  it('should say that search needs JavaScript when it is off, and link to the listings', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    await page.goto(url('/en/search/'));
    expect(await page.locator('.search-noscript').textContent()).toMatch(/Search needs JavaScript/);
    expect(await page.locator('noscript a, .search-page ul a').count()).toBeGreaterThanOrEqual(5);
    await page.goto(url('/zh-hans/2019/meizhou-last-mile/'));
    expect(await page.locator('section.section').count()).toBe(3);
    await noScript.close();
  });

  it('should read and search under the strict Content-Security-Policy, with no violation reported', async () => {
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(url('/zh-hans/2019/meizhou-last-mile/'));
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
    expect(await page.locator('section.section').count()).toBe(3);
    await page.goto(url('/en/search/'));
    const input = page.locator('#search input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('Meizhou');
    await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 10_000 });
    expect(violations).toEqual([]);
    await page.close();
  });

  it.each([
    ['zh-hans', 360],
    ['zh-hans', 1280],
    ['en', 360],
    ['en', 1280],
  ] as const)('should lay the %s article out at %i px with nothing wider than the screen', async (edition, width) => {
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(url(`/${edition}/2019/meizhou-last-mile/`));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const bodyFont = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.lead p') as Element).fontSize));
    expect(bodyFont).toBeGreaterThanOrEqual(16);
    await page.screenshot({ path: path.join(screenshots, `article-${edition}-${width}.png`), fullPage: false });
    await page.close();
  });
});
