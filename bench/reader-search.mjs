// What a reader's browser fetches for one search on an edition's search page of a built site:
// requests and bytes by kind (the page, Pagefind's script, and per search bundle its entry,
// metadata and index chunks), and the time until the first results show. Each bundle an edition
// is split into (searchBundlePages) costs every search its own requests.
//
//   npx tsc -p tsconfig.json && node bench/reader-search.mjs SITE_DIR [EDITION=zh-hans] [QUERY=梅州]
//   (Chromium from CHROMIUM, default /usr/bin/chromium)
import { chromium } from 'playwright-core';
import { startServer } from '../lib/serve/server.js';
const [root, edition = 'zh-hans', query = '梅州'] = process.argv.slice(2);
if (!root) throw new Error('usage: node bench/reader-search.mjs SITE_DIR [EDITION] [QUERY]');
const server = await startServer({ root, port: 0, liveReload: false });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
const seen = [];
page.on('requestfinished', async (request) => {
  const response = await request.response();
  const body = await response?.body().catch(() => null);
  seen.push({ url: request.url(), bytes: body?.length ?? 0 });
});
const started = performance.now();
await page.goto(new URL(`${edition}/search/?q=${encodeURIComponent(query)}`, server.url).href);
await page.waitForSelector('.pagefind-ui__result', { timeout: 60000 });
await page.waitForLoadState('networkidle');
const ms = performance.now() - started;
const kinds = new Map();
for (const { url, bytes } of seen) {
  const kind = /\.pf_fragment$/.test(url) ? 'fragment' : /\.pf_index$/.test(url) ? 'index chunk' : /wasm\./.test(url) ? 'wasm' : /\.pf_meta$/.test(url) ? 'meta' : /pagefind-entry/.test(url) ? 'entry' : /pagefind/.test(url) ? 'pagefind js/css' : 'page';
  const k = kinds.get(kind) ?? { n: 0, bytes: 0 }; k.n++; k.bytes += bytes; kinds.set(kind, k);
}
const results = await page.locator('.pagefind-ui__message').textContent();
console.log(`${edition} "${query}": ${seen.length} requests, ${(seen.reduce((s, r) => s + r.bytes, 0) / 1024).toFixed(0)} kB, ${ms.toFixed(0)} ms to results; ${results}`);
for (const [kind, { n, bytes }] of kinds) console.log(`  ${kind}: ${n} requests, ${(bytes / 1024).toFixed(0)} kB`);
await browser.close(); await server.close();
