#!/usr/bin/env node
// broadsheet's own benchmark: generates a synthetic corpus with the shared
// generator, then measures a cold build and watch-mode edits in one run.
//
//   npm run bench -- [--articles N] [--edits K] [--keep] [--skip-cold] [--skip-watch] [--no-search]
//   npm run bench -- --growth 4000,16000 [--no-search]
//
// One-shot figures: a cold build (no cache), a rebuild with nothing changed
// and a rebuild after one edit, each in a new process with the cache kept.
// Then `broadsheet dev` over that site, with the same cache: how long until
// it watches (it starts from the record the last build left), and its edits.
// --no-search measures with Pagefind switched off in a copy of the configuration.
// --growth measures the one-shot figures at each size, smallest first, and
// prints how each grows against the first (the target: at most 4.4×
// for 4× the articles).
//
// Figures are medians of K edits; the machine is shared and noisy, so compare
// ratios within one run, never across runs.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectDir = path.resolve(here, '..');
const generator = path.resolve(projectDir, '../shared/bench/gen-corpus.mjs');
const bin = path.join(projectDir, 'bin/broadsheet.js');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};
const articles = Number(option('articles', '4000'));
const edits = Number(option('edits', '7'));
const keep = args.includes('--keep');
// --skip-cold measures only watch mode (the cold build is the slow part of a run).
const skipCold = args.includes('--skip-cold');
const skipWatch = args.includes('--skip-watch');
const noSearch = args.includes('--no-search');

const work = mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-'));
const content = path.join(work, 'content');
const out = path.join(work, 'dist');
const configFile = noSearch ? searchlessConfig() : path.join(projectDir, 'broadsheet.yaml');
const log = (line) => process.stderr.write(`[bench] ${line}\n`);

const growth = option('growth', null);

try {
  if (growth) {
    const sizes = growth.split(',').map(Number);
    const results = sizes.map((size) => ({ size, ...measureOneShot(size, path.join(work, String(size))) }));
    printGrowth(results);
  } else {
    if (skipCold) generate(articles, content);
    const oneShot = skipCold ? skippedOneShot() : measureOneShot(articles, work);
    const watch = skipWatch ? { start: null, samples: [] } : await measureWatch();
    printTable(oneShot, watch);
  }
} finally {
  if (keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

/** A cold build, a rebuild with nothing changed and one after an edit, each in a new process, on a fresh corpus of `size` articles. */
function measureOneShot(size, dir) {
  const corpus = path.join(dir, 'content');
  const args = ['build', '--content', corpus, '--out', path.join(dir, 'dist'), '--cache-dir', path.join(dir, 'cache'), '--config', configFile];
  generate(size, corpus);
  const cold = timeBuild(args);
  log(`${size} articles, cold build: ${cold.seconds.toFixed(2)} s, peak ${cold.peakMb ?? '?'} MB`);
  const unchanged = timeBuild(args);
  appendFileSync(path.join(corpus, findArticle(corpus)), `\n编辑标记 one-shot ${Date.now()}。\n`);
  const oneEdit = timeBuild(args);
  return { cold, unchanged, oneEdit };
}

function generate(size, corpus) {
  spawnSync(process.execPath, [generator, '--articles', String(size), '--out', corpus, '--translations'], { stdio: 'inherit' });
}

function skippedOneShot() {
  const skipped = { seconds: NaN, peakMb: null, summary: 'skipped (--skip-cold)' };
  return { cold: skipped, unchanged: skipped, oneEdit: skipped };
}

/** One build in a new process: wall time and peak resident memory (GNU time, when installed). */
function timeBuild(buildArgs) {
  const timed = existsSync('/usr/bin/time');
  const command = timed ? '/usr/bin/time' : process.execPath;
  const commandArgs = timed ? ['-f', '%M', process.execPath, bin, ...buildArgs] : [bin, ...buildArgs];
  const started = process.hrtime.bigint();
  const result = spawnSync(command, commandArgs, { cwd: projectDir, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`);
  const kb = timed ? Number(result.stderr.trim().split('\n').at(-1)) : NaN;
  return { seconds, peakMb: Number.isFinite(kb) ? Math.round(kb / 1024) : null, summary: result.stdout.trim() };
}

/**
 * Starts `broadsheet dev` and times it until it watches; then connects a
 * live-reload client and times each edit: save → the rewritten page on
 * disk, save → the reload message at the client, and the rebuild's own
 * reported duration.
 */
async function measureWatch() {
  const spawned = performance.now();
  const dev = spawn(process.execPath, [bin, 'dev', '--profile', '--content', content, '--out', out, '--cache-dir', path.join(work, 'cache'), '--config', configFile, '--port', '0'], { cwd: projectDir });
  const lines = [];
  let buffer = '';
  dev.stdout.setEncoding('utf8');
  dev.stdout.on('data', (chunk) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  });
  try {
    const url = await waitFor(() => lines.map((line) => /serving .* at (http:\S+)/.exec(line)?.[1]).find(Boolean), 600_000);
    await waitFor(() => lines.some((line) => line.includes('watching for changes')), 60_000);
    const start = { ms: performance.now() - spawned, line: lines.find((line) => line.startsWith('[broadsheet] built')) ?? '' };
    // Measure steady-state editing: let the background search indexing of a first build that wrote the site finish first.
    if (!noSearch && !/wrote 0 files/.test(start.line)) await waitFor(() => lines.some((line) => line.includes('search index updated')), 900_000);
    const client = await connect(new URL('__broadsheet/events', url));
    const article = path.join(content, findArticle(content));
    const page = path.join(out, 'zh-hans', path.relative(content, article).replace(/\.md$/, ''), 'index.html');
    const samples = [];
    for (let edit = 1; edit <= edits; edit++) {
      await sleep(700);
      const mark = `编辑标记 bench-${edit}-${Date.now()}`;
      const rebuildsBefore = lines.filter((line) => line.includes('rebuilt')).length;
      client.reloads.length = 0;
      const started = performance.now();
      appendFileSync(article, `\n${mark}。\n`);
      const disk = await pollUntil(() => readFileSync(page, 'utf8').includes(mark), started);
      const message = await waitFor(() => client.reloads.find((reload) => reload.pages.length > 0), 10_000);
      const reported = await waitFor(() => lines.filter((line) => line.includes('rebuilt'))[rebuildsBefore], 10_000);
      samples.push({ disk, client: message.at - started, rebuildMs: Number(/ in (\d+) ms \(/.exec(reported)?.[1]), line: reported });
    }
    client.close();
    return { start, samples };
  } finally {
    // The session saves its record of the site as it ends: the work folder goes only after that.
    const exited = dev.exitCode !== null || dev.signalCode !== null ? Promise.resolve() : new Promise((resolve) => dev.once('exit', resolve));
    dev.kill('SIGTERM');
    await exited;
  }
}

/** The project's configuration with search switched off, written into the work folder. */
function searchlessConfig() {
  const text = readFileSync(path.join(projectDir, 'broadsheet.yaml'), 'utf8')
    .replace(/^search: true$/m, 'search: false')
    .replace(/^(\s+- )(gazetteer\/)/m, `$1${projectDir}/$2`);
  const file = path.join(work, 'broadsheet.yaml');
  writeFileSync(file, text);
  return file;
}

function findArticle(dir) {
  const year = readdirSafe(dir).sort()[0];
  return path.join(year, readdirSafe(path.join(dir, year)).filter((name) => /^a\d+\.md$/.test(name)).sort()[0]);
}

function readdirSafe(dir) {
  return spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
}

/** A Server-Sent Events client that records reload messages with their arrival time. */
function connect(url) {
  return new Promise((resolve, reject) => {
    const reloads = [];
    const req = request(url, (res) => {
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        pending += chunk;
        const events = pending.split('\n\n');
        pending = events.pop() ?? '';
        for (const event of events) {
          const data = /^data: (.*)$/m.exec(event)?.[1];
          if (event.includes('event: reload') && data) reloads.push({ ...JSON.parse(data), at: performance.now() });
        }
      });
      resolve({ reloads, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

async function pollUntil(condition, started) {
  for (;;) {
    try {
      if (condition()) return performance.now() - started;
    } catch {
      // The page is being replaced; look again.
    }
    await sleep(1);
  }
}

async function waitFor(find, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await sleep(5);
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function printTable({ cold, unchanged, oneEdit }, { start, samples }) {
  const disk = samples.map((sample) => sample.disk);
  const client = samples.map((sample) => sample.client);
  const rebuild = samples.map((sample) => sample.rebuildMs);
  const range = (values) => (values.length ? `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}` : '');
  const ms = (values) => (values.length ? `${median(values).toFixed(0)} ms` : 'skipped');
  const seconds = (run) => (Number.isFinite(run.seconds) ? `${run.seconds.toFixed(2)} s` : 'skipped');
  const peak = (run) => (run.peakMb === null ? '' : `peak ${run.peakMb} MB`);
  const rows = [
    ['cold build, no cache (new process)', seconds(cold), peak(cold), cold.summary],
    ['rebuild, nothing changed (new process)', seconds(unchanged), peak(unchanged), unchanged.summary],
    ['rebuild, one article edited (new process)', seconds(oneEdit), peak(oneEdit), oneEdit.summary],
    ['dev: start → watching (new process)', start ? `${(start.ms / 1000).toFixed(2)} s` : 'skipped', '', start?.line.replace(/ \[.*\]$/, '') ?? ''],
    ['watch: save → page on disk', ms(disk), range(disk), 'target < 50 ms'],
    ['watch: save → reload message at client', ms(client), range(client), 'target < 150 ms'],
    ['watch: rebuild of one edit (self-reported)', ms(rebuild), range(rebuild), rebuild.length ? `${((median(rebuild) / 1000 / cold.seconds) * 100).toFixed(2)} % of cold (target < 5 %)` : ''],
  ];
  console.log(`\nbroadsheet bench: ${articles} articles + translations, ${edits} edits, search ${noSearch ? 'off' : 'on'}; ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z\n`);
  console.log('| measure | median | min–max / memory | note |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  if (samples.length) console.log(`\nlast rebuild line: ${samples.at(-1)?.line ?? ''}`);
}

function printGrowth(results) {
  const [base] = results;
  const ratio = (value, baseValue) => (Number.isFinite(value) && baseValue ? `${(value / baseValue).toFixed(2)}×` : '');
  console.log(`\nbroadsheet bench --growth: articles + translations, search ${noSearch ? 'off' : 'on'}; ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z\n`);
  console.log(`| articles | cold | peak memory | nothing changed | one edit | cold × | memory × | one edit × (vs ${base.size}) |`);
  console.log('|---|---|---|---|---|---|---|---|');
  for (const { size, cold, unchanged, oneEdit } of results) {
    const cells = [size, `${cold.seconds.toFixed(2)} s`, `${cold.peakMb ?? '?'} MB`, `${unchanged.seconds.toFixed(2)} s`, `${oneEdit.seconds.toFixed(2)} s`];
    cells.push(ratio(cold.seconds, base.cold.seconds), ratio(cold.peakMb, base.cold.peakMb), ratio(oneEdit.seconds, base.oneEdit.seconds));
    console.log(`| ${cells.join(' | ')} |`);
  }
}
