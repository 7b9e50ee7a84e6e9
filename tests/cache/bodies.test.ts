import { cp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceStructurer, type SourceRecord } from '../../src/pipeline/compile/sources.js';
import { CacheStore, readEntryFile, writeEntryFile } from '../../src/cache/store.js';
import { digest } from '../../src/digest.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/model/config.js';
import { BroadsheetError } from '../../src/diagnostics/error.js';
import { Converters } from '../../src/i18n/derive.js';
import type { Block, RenderedArticle } from '../../src/model/article.js';
import { root } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';

// Article bodies shelved in the cache (cache/bodies.ts), through the structurer a
// one-shot build uses, on the shipped report and its translation.

const FILES = ['2019/meizhou-last-mile.md', '2019/meizhou-last-mile.en.md'];

interface Setup {
  readonly config: Config;
  readonly content: string;
  readonly cacheDir: string;
}

async function setUp(): Promise<Setup> {
  const dir = await tempDir('broadsheet-bodies');
  const content = path.join(dir, 'content');
  await cp(path.join(root, 'content'), content, { recursive: true });
  const config = await loadConfig(path.join(root, 'broadsheet.yaml'));
  return { config, content, cacheDir: path.join(dir, 'cache') };
}

async function structure(setup: Setup, shelveBodies: boolean, cacheDir: string | null = setup.cacheDir): Promise<Map<string, SourceRecord>> {
  const structurer = new SourceStructurer(setup.config, new Converters(setup.config.languages), {
    cache: cacheDir ? new CacheStore(cacheDir) : null,
    workers: 0,
    shelveBodies,
  });
  const records = await structurer.structureAll(setup.content, FILES);
  await structurer.flush();
  return records;
}

function articlesOf(records: Map<string, SourceRecord>): RenderedArticle[] {
  return [...records.values()].flatMap((record) => record.articles);
}

function blocksOf(article: RenderedArticle): Block<string>[] {
  return [...article.lead, ...article.sections.flatMap((section) => section.blocks)];
}

/** Every block's id, position and HTML, read as a template reads them. */
function bodyOf(article: RenderedArticle): { id: string; line: number | undefined; html: string }[] {
  return blocksOf(article).map((block) => ({ id: block.id, line: block.position?.line, html: block.content }));
}

/** True when a block holds its HTML itself rather than reading it back. */
function holdsHtml(block: Block<string>): boolean {
  return Object.values(block).some((value) => typeof value === 'string' && value.startsWith('<'));
}

describe('article bodies shelved in the cache', () => {
  it('should give templates the same body, block for block, without holding its HTML', async () => {
    const setup = await setUp();
    const held = articlesOf(await structure(setup, false, null));
    // First run parses and stores; the second finds every file in the cache. Both shelve.
    for (const run of ['parsed', 'cached']) {
      const shelved = articlesOf(await structure(setup, true));
      expect(shelved.map((article) => article.lang), run).toEqual(['zh-Hans', 'zh-Hant', 'en']);
      for (const [index, article] of shelved.entries()) {
        const original = held[index] as RenderedArticle;
        expect(blocksOf(article).some(holdsHtml), run).toBe(false);
        expect(bodyOf(article), run).toEqual(bodyOf(original));
        expect(article.sections.map((section) => section.heading)).toEqual(original.sections.map((section) => section.heading));
        expect(article.summary).toEqual(original.summary);
      }
    }
    // The shelved report's blocks are real text: 抓载体创新 heads the first section.
    expect(held[0]?.sections[0]?.heading).toContain('抓载体创新');
  });

  it('should keep bodies in memory when the cache cannot be written', async () => {
    const setup = await setUp();
    // A file where the cache folder should be: every entry write fails.
    await writeFile(setup.cacheDir, 'not a folder');
    const articles = articlesOf(await structure(setup, true));
    expect(articles.length).toBe(3);
    for (const article of articles) expect(blocksOf(article).every(holdsHtml)).toBe(true);
  });

  it('should make a body again when its cache entry vanished during the build', async () => {
    const setup = await setUp();
    const held = articlesOf(await structure(setup, false, null));
    const shelved = articlesOf(await structure(setup, true));
    await rm(setup.cacheDir, { recursive: true });
    expect(shelved.map(bodyOf)).toEqual(held.map(bodyOf));
  });

  it('should refuse to make a body again from a file that changed since it was read', async () => {
    const setup = await setUp();
    const shelved = articlesOf(await structure(setup, true));
    await rm(setup.cacheDir, { recursive: true });
    const source = path.join(setup.content, FILES[0] as string);
    await writeFile(source, `${await readFile(source, 'utf8')}\n追加的一段。\n`);
    let thrown: unknown;
    try {
      bodyOf(shelved[0] as RenderedArticle);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BroadsheetError);
    expect((thrown as BroadsheetError).code).toBe('BS213');
    expect((thrown as BroadsheetError).file).toContain('meizhou-last-mile.md');
    // The translation's file did not change: its body is still made again.
    expect(bodyOf(shelved[2] as RenderedArticle).length).toBeGreaterThan(10);
  });
});

/** A cache that counts the entries looked up. */
class CountingStore extends CacheStore {
  lookups = 0;

  override get<Value>(key: string): Value | undefined {
    this.lookups++;
    return super.get<Value>(key);
  }
}

/** The structurer of a one-shot build that starts from a record: every file known unchanged, by its digest. */
async function structureKnown(setup: Setup, store: CacheStore): Promise<Map<string, SourceRecord>> {
  const known = new Map<string, string>();
  for (const file of FILES) known.set(path.join(setup.content, file), digest(await readFile(path.join(setup.content, file), 'utf8')));
  const structurer = new SourceStructurer(setup.config, new Converters(setup.config.languages), { cache: store, workers: 0, shelveBodies: true, known });
  const records = await structurer.structureAll(setup.content, FILES);
  await structurer.flush();
  await structurer.saveOutlines();
  return records;
}

/** A project whose files were structured by a build that starts from a record: the outline parts it wrote, and the whole articles. */
async function withOutlineParts(): Promise<{ setup: Setup; held: RenderedArticle[]; folder: string; parts: string[] }> {
  const setup = await setUp();
  const held = articlesOf(await structure(setup, false, null));
  await structureKnown(setup, new CacheStore(setup.cacheDir));
  const folder = path.join(setup.cacheDir, 'outlines');
  return { setup, held, folder, parts: await readdir(folder) };
}

describe('the outlines of cached articles', () => {
  it('should give a build that starts from a record every known file without reading its entry', async () => {
    const setup = await setUp();
    const held = articlesOf(await structure(setup, false, null));
    await structure(setup, true);
    const first = new CountingStore(setup.cacheDir);
    await structureKnown(setup, first);
    // The entries were there, the outlines not yet: every file was looked up.
    expect(first.lookups).toBe(FILES.length);
    const outlines = await readdir(path.join(setup.cacheDir, 'outlines'));
    expect(outlines.length).toBeGreaterThan(0);
    const second = new CountingStore(setup.cacheDir);
    const shelved = articlesOf(await structureKnown(setup, second));
    expect(second.lookups).toBe(0);
    expect(shelved.map((article) => article.meta)).toEqual(held.map((article) => article.meta));
    expect(shelved.map((article) => article.summary)).toEqual(held.map((article) => article.summary));
    // Bodies are read from their entries when shown, as before.
    expect(shelved.map(bodyOf)).toEqual(held.map(bodyOf));
    expect(second.lookups).toBeGreaterThan(0);
  });

  it('should rewrite no part when the same entries are used again, and fall back to the entries when a part is damaged', async () => {
    const { setup, held, folder, parts } = await withOutlineParts();
    const times = await Promise.all(parts.map(async (part) => (await stat(path.join(folder, part))).mtimeMs));
    await structureKnown(setup, new CacheStore(setup.cacheDir));
    expect(await Promise.all(parts.map(async (part) => (await stat(path.join(folder, part))).mtimeMs))).toEqual(times);
    for (const part of parts) {
      const text = await readFile(path.join(folder, part), 'utf8');
      await writeFile(path.join(folder, part), text.replace('"meta":{"title":"', '"meta":{"title":"tampered '));
    }
    const store = new CountingStore(setup.cacheDir);
    const shelved = articlesOf(await structureKnown(setup, store));
    expect(store.lookups).toBe(FILES.length);
    expect(shelved.map((article) => article.meta)).toEqual(held.map((article) => article.meta));
    // The damaged parts were written again, whole.
    for (const part of parts) expect(await readFile(path.join(folder, part), 'utf8')).not.toContain('tampered');
  });

  it('should not read parts of an earlier format, and write them again in the current one', async () => {
    const { setup, held, folder, parts } = await withOutlineParts();
    // Parts as written before they carried a format: the outlines by key at the top level.
    for (const part of parts) {
      const file = path.join(folder, part);
      const { outlines } = readEntryFile<{ outlines: Record<string, unknown> }>(file) ?? { outlines: {} };
      await writeEntryFile(file, outlines);
    }
    const store = new CountingStore(setup.cacheDir);
    const shelved = articlesOf(await structureKnown(setup, store));
    expect(store.lookups).toBe(FILES.length);
    expect(shelved.map(bodyOf)).toEqual(held.map(bodyOf));
    for (const part of parts) expect(readEntryFile<{ format?: number }>(path.join(folder, part))?.format).toBe(2);
    const again = new CountingStore(setup.cacheDir);
    await structureKnown(setup, again);
    expect(again.lookups).toBe(0);
  });

  it('should not fail a build when the outlines cannot be written', async () => {
    const setup = await setUp();
    const held = articlesOf(await structure(setup, false, null));
    await structure(setup, true);
    // A file where the outlines folder should be: the entries can be written, the outlines not.
    await writeFile(path.join(setup.cacheDir, 'outlines'), 'not a folder');
    const store = new CountingStore(setup.cacheDir);
    const shelved = articlesOf(await structureKnown(setup, store));
    expect(store.lookups).toBe(FILES.length);
    expect(shelved.map(bodyOf)).toEqual(held.map(bodyOf));
  });
});
