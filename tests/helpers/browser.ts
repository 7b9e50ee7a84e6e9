import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { expect } from 'vitest';
import { startServer } from '../../src/serve/server.js';
import { makeProject, runBroadsheet } from './cli.js';
import { CHROMIUM } from './tools.js';

/**
 * Starts headless Chromium with no background network traffic. Playwright
 * gives every launch a fresh temporary profile of its own.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The shipped archive built with search, served, and a browser open on it: for tests that only read the site. */
export interface ServedSite {
  readonly browser: Browser;
  readonly context: BrowserContext;
  /** The served address of a site path such as `/zh-hans/`. */
  url(site: string): string;
  close(): Promise<void>;
}

export async function serveShippedSite(): Promise<ServedSite> {
  const project = await makeProject({ search: true });
  expect((await runBroadsheet(['build'], project)).code).toBe(0);
  const server = await startServer({ root: path.join(project, 'dist'), port: 0, liveReload: false });
  const browser = await launchBrowser();
  const context = await browser.newContext();
  return {
    browser,
    context,
    url: (site) => new URL(site.slice(1), server.url).href,
    async close() {
      await context.close();
      await browser.close();
      await server.close();
    },
  };
}
