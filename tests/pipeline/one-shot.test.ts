import { statSync } from 'node:fs';
import { appendFile, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBroadsheet } from '../helpers/cli.js';
import { makeCorpusProject } from '../helpers/corpus.js';
import { hashTree } from '../helpers/tree.js';
import { freshTree, renderedBy, spawnBuild } from '../helpers/build.js';

// A one-shot build that starts from the record a previous run left: what it takes on trust (stamps) and what
// it must never take (a project's cards after an edit), each build in a process of its own.

const build = spawnBuild;

/** A build of the same files from scratch, in a copy of the project, without any cache or worker thread. */
function freshBuild(project: string): Promise<Record<string, string>> {
  return freshTree(project, { workers: 0 });
}

describe('a one-shot build after an edit', () => {
  it('should take unchanged files from the cache without reading them, as their stamps say', async () => {
    const project = await makeCorpusProject(20);
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
    const project = await makeCorpusProject(20);
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
  }, 180_000);
});

describe('one-shot builds one after another', () => {
  it('should see a card change in a group the edit before did not touch', async () => {
    const project = await makeCorpusProject(12);
    const corpus = path.join(project, 'content/corpus');
    const sources = (await readdir(corpus, { recursive: true })).filter((file) => /^\d{4}\/a\d+\.md$/.test(file.split(path.sep).join('/'))).sort();
    const [first, second] = [path.join(corpus, sources[2] ?? ''), path.join(corpus, sources[7] ?? '')];
    build(project);
    // The first edit changes text only: the record after it keeps the other groups' faces as they were.
    await appendFile(first, '\n又补充了一句。\n');
    expect(renderedBy(build(project, '--profile'))).toBeLessThan(20);
    // The second changes another report's title, which its cards show: listings change.
    await writeFile(second, (await readFile(second, 'utf8')).replace(/^title: .*$/m, 'title: 换了一个标题'));
    expect(renderedBy(build(project, '--profile'))).toBeGreaterThanOrEqual(20);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(await freshBuild(project));
  }, 180_000);
});

/** The text of every HTML file under a folder. */
async function readTree(dir: string): Promise<Record<string, string>> {
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.html'));
  return Object.fromEntries(await Promise.all(files.map(async (file) => [file, await readFile(path.join(dir, file), 'utf8')] as const)));
}
