// What Pagefind alone costs an edit: an edited article's page is in one search bundle per
// edition, and Pagefind rebuilds a bundle whole. This indexes, one bundle after another
// through one Pagefind service, the first PAGES (default 200, about a bundle at N=4,000)
// article pages of each named folder of a built site, and prints the time each took to
// add its pages and to write its bundle.
//
//   node bench/pagefind-floor.mjs SITE_DIR FOLDER... (e.g. dist/zh-hans/2018 dist/en/2018)
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as pagefind from 'pagefind';

const [site, ...folders] = process.argv.slice(2);
if (!site || folders.length === 0) throw new Error('usage: node bench/pagefind-floor.mjs SITE_DIR FOLDER...');
const pageCount = Number(process.env.PAGES ?? 200);
const out = mkdtempSync(path.join(tmpdir(), 'pagefind-floor-'));
let total = 0;
try {
  for (const folder of folders) {
    const dir = path.resolve(folder);
    const pages = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !/^(\d+|page|pagefind)$/.test(entry.name))
      .slice(0, pageCount)
      .map((entry) => path.join(dir, entry.name, 'index.html'));
    const started = performance.now();
    const { index } = await pagefind.createIndex({});
    await Promise.all(pages.map((page) => index.addHTMLFile({ url: `/${path.relative(site, page)}`, content: readFileSync(page, 'utf8') })));
    const added = performance.now();
    await index.writeFiles({ outputPath: path.join(out, String(total)) });
    const written = performance.now();
    await index.deleteIndex();
    total += written - started;
    console.log(`${path.relative(site, dir)}: ${pages.length} pages, add ${((added - started) / 1000).toFixed(2)} s, write ${((written - added) / 1000).toFixed(2)} s`);
  }
  console.log(`all: ${(total / 1000).toFixed(2)} s of one Pagefind service`);
} finally {
  await pagefind.close();
  rmSync(out, { recursive: true, force: true });
}
