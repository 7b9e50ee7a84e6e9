// The least any build of a corpus with remark-parse can cost: remark-parse alone over
// every Markdown file, one thread, nothing else of broadsheet (no front matter, no
// structure, no HTML). Given markdown-it's folder (Eleventy's copy, which
// ../shared/bench/compare.sh installs), it also times markdown-it parsing and rendering
// the same files, for comparison.
//
//   node bench/parse-floor.mjs CONTENT_DIR [MARKDOWN_IT_DIR]
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const [contentDir, markdownItDir] = process.argv.slice(2);
if (!contentDir) throw new Error('usage: node bench/parse-floor.mjs CONTENT_DIR [MARKDOWN_IT_DIR]');
const texts = readdirSync(contentDir, { recursive: true })
  .filter((file) => file.endsWith('.md'))
  .map((file) => readFileSync(path.join(contentDir, file), 'utf8'));

/** Wall and CPU seconds of `work` over every text, after a warm-up over the first 300. */
function time(work) {
  for (const text of texts.slice(0, 300)) work(text);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const text of texts) work(text);
  const used = process.cpuUsage(cpu);
  return `wall ${((performance.now() - started) / 1000).toFixed(2)} s, CPU ${((used.user + used.system) / 1e6).toFixed(2)} s`;
}

const megabytes = (texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 2 ** 20).toFixed(1);
console.log(`${texts.length} files, ${megabytes} MiB`);
const remark = unified().use(remarkParse);
console.log(`remark-parse, parse only: ${time((text) => remark.parse(text))}`);
if (markdownItDir) {
  const MarkdownIt = createRequire(import.meta.url)(path.resolve(markdownItDir));
  const markdownIt = new MarkdownIt({ html: true });
  console.log(`markdown-it, parse and render: ${time((text) => markdownIt.render(text))}`);
}
