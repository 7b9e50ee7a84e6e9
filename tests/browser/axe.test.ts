import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveShippedSite, type ServedSite } from '../helpers/browser.js';
import { chromium } from '../helpers/tools.js';

// Accessibility of every page type, light and dark, by axe-core in Chromium.

describe('every page type checked by axe in a real browser', () => {
  let site: ServedSite | undefined;

  beforeEach((context) => chromium.skipUnlessAvailable(context));

  beforeAll(async () => {
    if (chromium.available) site = await serveShippedSite();
  });

  afterAll(() => site?.close());

  const pageTypes = [
    ['article', '/zh-hans/2019/meizhou-last-mile/'],
    ['English article', '/en/2019/meizhou-last-mile/'],
    ['Traditional article', '/zh-hant/2019/meizhou-last-mile/'],
    ['parallel view', '/zh-hans/2019/meizhou-last-mile/parallel/'],
    ['front page', '/zh-hans/'],
    ['place listing', '/en/places/meijiang/'],
    ['date archive', '/zh-hans/archive/'],
    ['search', '/zh-hans/search/'],
    ['404', '/en/no-such-page/'],
    ['language chooser', '/'],
  ] as const;

  /** Violations as `scheme rule: targets`, one line per rule broken. */
  async function violations(page: Page, scheme: 'light' | 'dark'): Promise<string[]> {
    await page.emulateMedia({ colorScheme: scheme });
    // Legacy mode runs axe in the page itself: the pages have no frames, and the
    // default mode opens a second page per run to merge frame results.
    const axe = new AxeBuilder({ page }).setLegacyMode();
    // The dark scheme changes colours only: the rules about colour are the ones it can break.
    if (scheme === 'dark') axe.withRules(['color-contrast', 'link-in-text-block']);
    const results = await axe.analyze();
    return results.violations.map((violation) => `${scheme} ${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  }

  it.each(pageTypes)('should have no axe violations on the %s page, light or dark', async (_, address) => {
    if (!site) throw new Error('the site was not served');
    const page: Page = await site.context.newPage();
    await page.goto(site.url(address));
    if (address.endsWith('/search/')) await page.locator('#search input').waitFor({ timeout: 10_000 });
    expect([...(await violations(page, 'light')), ...(await violations(page, 'dark'))]).toEqual([]);
    await page.close();
  });

});
