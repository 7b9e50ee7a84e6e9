import { chromium, type Browser } from 'playwright-core';
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
