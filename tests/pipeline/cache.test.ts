import { existsSync, statSync } from 'node:fs';
import { appendFile, cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry } from '../../src/cache/store.js';
import { runBroadsheet } from '../helpers/cli.js';
import { makeCorpusProject } from '../helpers/corpus.js';
import { hashTree } from '../helpers/tree.js';
import { freshTree, renderedBy, spawnBuild } from '../helpers/build.js';

// The persistent cache and the output manifest, through the real CLI: whatever
// the cache holds, the output equals a build from scratch, and a build with
// nothing to do writes nothing.

const ARTICLES = 20;

/** A one-shot build in a process of its own: what these tests follow is what one run leaves the next. */
const build = spawnBuild;

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
    project = await makeCorpusProject(ARTICLES);
    dist = path.join(project, 'dist');
    build(project);
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
  }, 240_000);

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
      // The converter's tables are binary, with a check of their own (tests/pipeline/script-tables.test.ts).
      .filter((entry) => entry.isFile() && entry.name !== 'CACHEDIR.TAG' && ![path.join(cacheDir, 'outputs'), path.join(cacheDir, 'script-tables')].includes(entry.parentPath))
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

  it('should use a page list only with the summary written with it', async () => {
    // The page list is written while the search index is still being built, its summary once the output is
    // complete: a list that no summary names (a build that failed after writing it) must not be used.
    const outputs = path.join(project, '.broadsheet-cache/outputs');
    build(project);
    const edit = async (): Promise<void> => {
      const corpus = path.join(project, 'content/corpus');
      const source = (await readdir(corpus, { recursive: true })).filter((file) => /^\d{4}\/a\d+\.md$/.test(file.split(path.sep).join('/'))).sort()[1];
      if (!source) throw new Error('the corpus has no source file');
      await appendFile(path.join(corpus, source), '\n又一段。\n');
    };
    await edit();
    const trusted = build(project, '--profile');
    expect(renderedBy(trusted)).toBeLessThan(10);
    const name = (await readdir(outputs)).find((file) => file.endsWith('.pages.json'));
    if (!name) throw new Error('no page list');
    const list = decodeEntry<Record<string, unknown>>(await readFile(path.join(outputs, name), 'utf8'));
    expect(list?.token).toEqual(expect.any(String));
    await writeFile(path.join(outputs, name), encodeEntry({ ...list, token: 'written by another build' }));
    await edit();
    const untrusted = build(project, '--profile');
    expect(renderedBy(untrusted)).toBeGreaterThan(ARTICLES * 3);
    expect(await hashTree(dist)).toEqual(await freshBuild(project));
  }, 180_000);

  it('should be removed by broadsheet clean', async () => {
    const run = await runBroadsheet(['clean'], project);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('removed .broadsheet-cache\n');
    expect(existsSync(path.join(project, '.broadsheet-cache'))).toBe(false);
    expect(existsSync(dist)).toBe(true);
    expect(build(project).stdout).toMatch(/^built /);
  });
});

