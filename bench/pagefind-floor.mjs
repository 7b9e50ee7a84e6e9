// What Pagefind alone costs an edit: an edited article's page is in one search bundle per
// edition, and Pagefind rebuilds a bundle whole. This indexes the first PAGES (default 200,
// about a bundle at N=4,000) article pages of each named folder of a built site, and prints
// the time each took to add its pages and to write its bundle. By default the folders go one
// after another through one Pagefind service; with SIDE_BY_SIDE=1 each has a service of its
// own and all run at once, as a one-shot build indexes the bundles an edit touched.
//
//   node bench/pagefind-floor.mjs SITE_DIR FOLDER... (e.g. dist/zh-hans/2018 dist/zh-hant/2018)
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [site, ...folders] = process.argv.slice(2);
if (!site || folders.length === 0) throw new Error('usage: node bench/pagefind-floor.mjs SITE_DIR FOLDER...');
const pageCount = Number(process.env.PAGES ?? 200);
const sideBySide = process.env.SIDE_BY_SIDE === '1';
const out = mkdtempSync(path.join(tmpdir(), 'pagefind-floor-'));
// A copy of the module loaded under a URL of its own has a service process of its own (see src/search/pagefind.ts).
const url = import.meta.resolve('pagefind');
const services = await Promise.all((sideBySide ? folders : [folders[0]]).map((_, copy) => import(copy === 0 ? url : `${url}?service=${copy}`)));

async function indexFolder(folder, pagefind, number) {
  const dir = path.resolve(folder);
  const pages = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !/^(\d+|page|pagefind)$/.test(entry.name))
    .slice(0, pageCount)
    .map((entry) => path.join(dir, entry.name, 'index.html'));
  const started = performance.now();
  const { index } = await pagefind.createIndex({});
  await Promise.all(pages.map((page) => index.addHTMLFile({ url: `/${path.relative(site, page)}`, content: readFileSync(page, 'utf8') })));
  const added = performance.now();
  await index.writeFiles({ outputPath: path.join(out, String(number)) });
  const written = performance.now();
  await index.deleteIndex();
  console.log(`${path.relative(site, dir)}: ${pages.length} pages, add ${((added - started) / 1000).toFixed(2)} s, write ${((written - added) / 1000).toFixed(2)} s`);
}

try {
  const started = performance.now();
  if (sideBySide) await Promise.all(folders.map((folder, number) => indexFolder(folder, services[number], number)));
  else for (const [number, folder] of folders.entries()) await indexFolder(folder, services[0], number);
  const how = sideBySide ? `${folders.length} Pagefind services side by side` : 'one Pagefind service';
  console.log(`all: ${((performance.now() - started) / 1000).toFixed(2)} s through ${how}`);
} finally {
  await Promise.all(services.map((service) => service.close()));
  rmSync(out, { recursive: true, force: true });
}
