import { existsSync, statSync } from 'node:fs';
import { appendFile, cp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry } from '../../src/cache/store.js';
import { makeProject, runBroadsheet, spawnBroadsheet, type CliRun } from '../helpers/cli.js';
import { writeCorpus } from '../helpers/corpus.js';
import { hashTree } from '../helpers/tree.js';
import { freshTree } from '../helpers/build.js';

// The persistent cache and the output manifest, through the real CLI: whatever
// the cache holds, the output equals a build from scratch, and a build with
// nothing to do writes nothing.

const ARTICLES = 40; // 80 files with translations: enough for the worker pool to start

/** A project with the shipped content plus a synthetic corpus, search off to keep builds short. */
async function corpusProject(): Promise<string> {
  const project = await makeProject();
  writeCorpus(path.join(project, 'content/corpus'), { articles: ARTICLES, translations: true });
  const config = await readFile(path.join(project, 'broadsheet.yaml'), 'utf8');
  await writeFile(path.join(project, 'broadsheet.yaml'), config.replace(/^search: true$/m, 'search: false'));
  return project;
}

/** A one-shot build in a process of its own: what these tests follow is what one run leaves the next. */
function build(project: string, ...extra: string[]): CliRun {
  const run = spawnBroadsheet(['build', ...extra], project);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run;
}

/** A build of the same files from scratch, in a copy of the project, without any cache or worker thread. */
function freshBuild(project: string): Promise<Record<string, string>> {
  return freshTree(project, { workers: 0 });
}

/** Modification times of every output file, to see which were rewritten. */
async function mtimes(dir: string): Promise<Map<string, number>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return new Map(entries.filter((entry) => entry.isFile()).map((entry) => {
    const file = path.join(entry.parentPath, entry.name);
    return [path.relative(dir, file), statSync(file).mtimeMs] as const;
  }));
}

function rewritten(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([file, time]) => before.get(file) !== time).map(([file]) => file).sort();
}

describe('the build cache', () => {
  let project: string;
  let dist: string;

  beforeAll(async () => {
    project = await corpusProject();
    dist = path.join(project, 'dist');
  });

  it('should give the same output with and without worker threads, with and without the cache', async () => {
    build(project, '--no-cache', '--workers', '0');
    const inProcess = await hashTree(dist);
    expect(existsSync(path.join(project, '.broadsheet-cache'))).toBe(false);
    await rm(dist, { recursive: true });
    build(project, '--workers', '2');
    expect(await hashTree(dist)).toEqual(inProcess);
    expect(existsSync(path.join(project, '.broadsheet-cache'))).toBe(true);
    // A new output folder: the manifest describes the old one, so everything is rendered from the cached articles.
    await rm(dist, { recursive: true });
    const cached = build(project, '--profile');
    expect(cached.stdout).toMatch(/^built /);
    expect(await hashTree(dist)).toEqual(inProcess);
  });

  it('should write nothing when nothing changed', async () => {
    const before = await mtimes(dist);
    const folder = statSync(dist).ino;
    const run = build(project);
    expect(run.stdout).toMatch(/^dist is up to date: \d+ pages/);
    expect(rewritten(before, await mtimes(dist))).toEqual([]);
    expect(statSync(dist).ino).toBe(folder);
  });

  it('should rewrite only the pages an edit affects, and equal a fresh build', async () => {
    const corpus = path.join(project, 'content/corpus');
    const source = (await readdir(corpus, { recursive: true })).filter((file) => /^\d{4}\/a\d+\.md$/.test(file.split(path.sep).join('/'))).sort()[0];
    if (!source) throw new Error('the corpus has no source file');
    const page = `corpus/${source.split(path.sep).join('/').replace(/\.md$/, '')}`;
    const before = await mtimes(dist);
    await appendFile(path.join(corpus, source), '\n多写了一段文字。\n');
    const run = build(project, '--profile');
    const changed = rewritten(before, await mtimes(dist));
    // Only the text changed: the article's pages in three editions, their parallel views, the pages of
    // its neighbours and the feeds are rendered, not the archive's listings (the previous run's stand).
    const rendered = Number(/^rendered (\d+) pages$/m.exec(run.stdout)?.[1]);
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(20);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(20);
    expect(run.stdout).toContain(`${changed.length} files written`);
    expect(changed).toEqual(expect.arrayContaining([`zh-hans/${page}/index.html`, `zh-hant/${page}/index.html`]));
    // The English edition's pages of other articles stay as they were.
    expect(changed.filter((file) => file.startsWith('en/') && !file.startsWith(`en/${page}/`) && !/feed|rss/.test(file))).toEqual([]);
    expect(await hashTree(dist)).toEqual(await freshBuild(project));
  });

  it('should equal a fresh build after each one-shot edit, whether it changes only text or what listings show', async () => {
    const corpus = path.join(project, 'content/corpus');
    const sources = (await readdir(corpus, { recursive: true })).filter((file) => /^\d{4}\/a\d+\.md$/.test(file.split(path.sep).join('/'))).sort();
    const [second, third, fourth] = [sources[1], sources[2], sources[3]].map((file) => path.join(corpus, file ?? ''));
    if (!second || !third || !fourth) throw new Error('the corpus has too few source files');
    const renderedBy = (run: CliRun): number => Number(/^rendered (\d+) pages$/m.exec(run.stdout)?.[1]);
    build(project);
    const steps: [string, () => Promise<void>, 'text' | 'listings'][] = [
      ['text at the end of a report', () => appendFile(second, '\n又补充了一段。\n'), 'text'],
      ['a headline', async () => writeFile(third, (await readFile(third, 'utf8')).replace(/^title: .*$/m, 'title: "改过的标题"')), 'listings'],
      // The lead is the excerpt a project's cards may show.
      ['the lead', async () => writeFile(fourth, (await readFile(fourth, 'utf8')).replace(/\n---\n\n/, '\n---\n\n导语新加的一句。')), 'listings'],
      ['a new report', () => cp(second, path.join(path.dirname(second), 'a9999.md')), 'listings'],
      ['a removed report', () => rm(path.join(path.dirname(second), 'a9999.md')), 'listings'],
    ];
    for (const [what, edit, reach] of steps) {
      await edit();
      const rendered = renderedBy(build(project, '--profile'));
      if (reach === 'text') expect(rendered, what).toBeLessThan(20);
      else expect(rendered, what).toBeGreaterThanOrEqual(25);
      expect(await hashTree(dist), what).toEqual(await freshBuild(project));
    }
  });

  it.each([
    ['a partial included by the article template', 'templates/partials/byline.njk', (text: string) => text.replace('</', '<!-- edited --></')],
    ['a string catalogue', 'templates/i18n/en.yaml', (text: string) => `${text}\nunused_test_key: An edited catalogue\n`],
    ['the site configuration', 'broadsheet.yaml', (text: string) => text.replace('en: Meizhou News Archive', 'en: Meizhou News Archive (edited)')],
    ['the gazetteer', 'gazetteer/meizhou.yaml', (text: string) => `${text}\n`],
  ])('should follow an edit to %s', async (_name, file, edit) => {
    const target = path.join(project, file);
    await writeFile(target, edit(await readFile(target, 'utf8')));
    const run = build(project);
    expect(run.stdout).toMatch(/^built /);
    expect(await hashTree(dist)).toEqual(await freshBuild(project));
  });

  it('should detect a damaged cache entry, rebuild it and never use it', async () => {
    const cacheDir = path.join(project, '.broadsheet-cache');
    // Start from a cache that holds only entries in use.
    await rm(cacheDir, { recursive: true });
    build(project);
    const entries = (await readdir(cacheDir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && entry.name !== 'CACHEDIR.TAG' && entry.parentPath !== path.join(cacheDir, 'outputs'))
      .map((entry) => path.join(entry.parentPath, entry.name));
    const [truncated, garbled] = entries;
    if (!truncated || !garbled) throw new Error('the cache holds too few entries');
    const text = await readFile(truncated, 'utf8');
    await writeFile(truncated, text.slice(0, text.length / 2));
    await writeFile(garbled, (await readFile(garbled, 'utf8')).replace(/<p/, '<script>alert(1)</script><p'));
    await rm(dist, { recursive: true });
    build(project);
    expect(await hashTree(dist)).toEqual(await freshBuild(project));
    expect(decodeEntry(await readFile(truncated, 'utf8'))).toBeDefined();
    expect(decodeEntry(await readFile(garbled, 'utf8'))).toBeDefined();
  });

  it('should not trust a manifest written by another broadsheet version', async () => {
    const outputs = path.join(project, '.broadsheet-cache/outputs');
    const name = (await readdir(outputs)).find((file) => file.endsWith('.summary.json'));
    if (!name) throw new Error('no manifest');
    const manifest = decodeEntry<Record<string, unknown>>(await readFile(path.join(outputs, name), 'utf8'));
    await writeFile(path.join(outputs, name), encodeEntry({ ...manifest, version: '0.0.1-older' }));
    expect(build(project).stdout).toMatch(/^built /);
  });

  it('should be removed by broadsheet clean', async () => {
    const run = await runBroadsheet(['clean'], project);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('removed .broadsheet-cache\n');
    expect(existsSync(path.join(project, '.broadsheet-cache'))).toBe(false);
    expect(existsSync(dist)).toBe(true);
    expect(build(project).stdout).toMatch(/^built /);
  });
});

describe('a one-shot build after an edit', () => {
  it('should take unchanged files from the cache without reading them, as their stamps say', async () => {
    const project = await corpusProject();
    const corpus = path.join(project, 'content/corpus');
    const files = (await readdir(corpus, { recursive: true })).filter((file) => file.endsWith('.md')).sort();
    const [untouched, edited] = [files.find((file) => file.endsWith('.en.md')), files.find((file) => !file.endsWith('.en.md'))];
    if (!untouched || !edited) throw new Error('the corpus has too few files');
    // Whole seconds, so that setting the same time again gives the very same stamp.
    const time = 1_700_000_000;
    const unread = path.join(corpus, untouched);
    await utimes(unread, time, time);
    build(project);
    // Same size, same inode, same time: only the bytes differ, and they are not UTF-8.
    const size = statSync(unread).size;
    await writeFile(unread, Buffer.alloc(size, 0xff));
    await utimes(unread, time, time);
    await appendFile(path.join(corpus, edited), '\n又写了一段。\n');
    expect(build(project).stdout).toMatch(/^built \d+ pages \(\d+ articles, \d+ files written\)/);
    // Read, the file is refused — so the build above did not read it.
    const check = await runBroadsheet(['check'], project);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('BS104');
    expect(check.stderr).toContain(untouched.split(path.sep).join('/'));
  });

  it("should keep a project's own cards and neighbour links true to the text", async () => {
    const project = await corpusProject();
    const card = path.join(project, 'templates/partials/article-card.njk');
    const article = path.join(project, 'templates/article.njk');
    // A project's cards and neighbour links may show the reading time and the excerpt, which the text
    // makes; the exact length and the body they cannot see, in any build.
    const shown = '<small>{{ entry.reading.minutes }}|{{ entry.article.summary.length }}|{{ entry.article.sections | length }}</small>';
    await writeFile(card, (await readFile(card, 'utf8')).replace('</li>', `${shown}</li>`));
    await writeFile(article, (await readFile(article, 'utf8')).replace('{{ newer.article.meta.title }}</a>', '{{ newer.article.meta.title }}</a> <small>{{ newer.reading.minutes }}|{{ newer.reading.count }}</small>'));
    const corpus = path.join(project, 'content/corpus');
    const sources = (await readdir(corpus, { recursive: true })).filter((file) => /^\d{4}\/a\d+\.md$/.test(file.split(path.sep).join('/'))).sort();
    const target = path.join(corpus, sources[5] ?? '');
    build(project);
    const renderedBy = (run: CliRun): number => Number(/^rendered (\d+) pages$/m.exec(run.stdout)?.[1]);
    // A sentence more: the length changes, the reading time does not. The cards are as they were.
    await appendFile(target, '\n又补充了一句。\n');
    expect(renderedBy(build(project, '--profile'))).toBeLessThan(20);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(await freshBuild(project));
    // Two minutes more to read: every listing showing the card, and the neighbour, change.
    await appendFile(target, `\n${'文字更长了，'.repeat(150)}\n`);
    expect(renderedBy(build(project, '--profile'))).toBeGreaterThanOrEqual(25);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(await freshBuild(project));
    const shownValues = Object.values(await readTree(path.join(project, 'dist/zh-hans'))).flatMap((html) => html.match(/<small>[^<]*<\/small>/g) ?? []);
    expect(shownValues.length).toBeGreaterThan(40);
    for (const value of shownValues) expect(value).toMatch(/^<small>[1-9]\d*\|(?:\|0)?<\/small>$/);
  });
});

/** The text of every HTML file under a folder. */
async function readTree(dir: string): Promise<Record<string, string>> {
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.html'));
  return Object.fromEntries(await Promise.all(files.map(async (file) => [file, await readFile(path.join(dir, file), 'utf8')] as const)));
}
