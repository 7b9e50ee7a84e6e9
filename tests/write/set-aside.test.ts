import { mkdtempSync } from 'node:fs';
import { link, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { recoverOutput } from '../../src/write/recover.js';
import { SetAsideFolders } from '../../src/write/set-aside.js';
import { liveSink } from '../../src/write/sink.js';

// The files whose data was written out to the disk (FileHandle.datasync), as the write-out is seen from outside.
const { writtenOut } = vi.hoisted(() => ({ writtenOut: [] as string[] }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (file, ...rest) => {
    const handle = await actual.open(file, ...rest);
    const datasync = handle.datasync.bind(handle);
    handle.datasync = async () => {
      writtenOut.push(String(file));
      return datasync();
    };
    return handle;
  };
  return { ...actual, open, default: { ...actual, open } };
});

const siblings = async (root: string): Promise<string[]> => (await readdir(root)).filter((name) => name.startsWith('dist.')).sort();

/** The files set aside in one rebuild's folder, wherever a thread put them in it. */
async function filesIn(roundDir: string): Promise<string[]> {
  const entries = await readdir(roundDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

async function siteWithPage(): Promise<{ root: string; dist: string; page: string }> {
  const root = mkdtempSync(path.join(tmpdir(), 'broadsheet-aside-'));
  const dist = path.join(root, 'dist');
  const page = path.join(dist, 'zh-hans/2019/report/index.html');
  await mkdir(path.dirname(page), { recursive: true });
  await writeFile(page, '<p>old</p>');
  return { root, dist, page };
}

describe("watch mode's replaced files", () => {
  it('should keep the file a page replaces aside, and remove it when the session ends', async () => {
    const { root, dist, page } = await siteWithPage();
    const folders = new SetAsideFolders(dist);
    const oldInode = (await stat(page)).ino;
    const sink = liveSink(dist, folders);
    sink.put({ path: 'zh-hans/2019/report/index.html', contents: '<p>new</p>' });
    sink.put({ path: 'zh-hans/2019/added/index.html', contents: '<p>added</p>' });
    expect(await readFile(page, 'utf8')).toBe('<p>new</p>');

    // The old file lives on, linked into this rebuild's folder beside the output (a new page has nothing to set aside).
    const base = path.join(root, `dist.replaced-${process.pid}`);
    const [round] = await readdir(base);
    const aside = await filesIn(path.join(base, round as string));
    expect(aside).toHaveLength(1);
    const kept = aside[0] as string;
    expect((await stat(kept)).ino).toBe(oldInode);
    expect(await readFile(kept, 'utf8')).toBe('<p>old</p>');

    await sink.finish([], null);
    await folders.close();
    expect(await siblings(root)).toEqual([]);
    expect(await readFile(page, 'utf8')).toBe('<p>new</p>');
  });

  it("should fill the next rebuild's pages into the files set aside, never the same rebuild's nor one linked elsewhere", async () => {
    const { root, dist, page } = await siteWithPage();
    const other = path.join(dist, 'zh-hans/2019/other/index.html');
    await mkdir(path.dirname(other), { recursive: true });
    await writeFile(page, '<p>old, and longer than the page that will fill it</p>');
    await writeFile(other, '<p>other</p>');
    const folders = new SetAsideFolders(dist);
    const inodeOf = async (file: string): Promise<number> => (await stat(file)).ino;
    const [pageInode, otherInode] = [await inodeOf(page), await inodeOf(other)];

    // First rebuild: both replaced; what was set aside in it is not filled again in it (a reader may still have it open).
    const first = liveSink(dist, folders);
    first.put({ path: 'zh-hans/2019/report/index.html', contents: '<p>new</p>' });
    first.put({ path: 'zh-hans/2019/other/index.html', contents: '<p>other, new</p>' });
    await first.finish([], null);
    expect(await inodeOf(other)).not.toBe(pageInode);
    const base = path.join(root, `dist.replaced-${process.pid}`);
    const [round] = await readdir(base);
    const roundDir = path.join(base, round as string);
    const setAside = await filesIn(roundDir);
    expect(await Promise.all(setAside.map((file) => readFile(file, 'utf8')))).toEqual(
      expect.arrayContaining(['<p>old, and longer than the page that will fill it</p>', '<p>other</p>']),
    );

    // Second rebuild: a spare linked anywhere else is left alone; the next one is filled (here for a page in
    // a new folder), cut to its new length.
    const elsewhere = path.join(root, 'linked-elsewhere');
    const otherSpare = (await Promise.all(setAside.map(async (file) => ((await inodeOf(file)) === otherInode ? file : null)))).find(Boolean);
    await link(otherSpare as string, elsewhere);
    const second = liveSink(dist, folders);
    const added = path.join(dist, 'zh-hans/2019/added/index.html');
    second.put({ path: 'zh-hans/2019/added/index.html', contents: '<p>added</p>' });
    await second.finish([], null);
    expect(await inodeOf(added)).toBe(pageInode);
    expect(await readFile(added, 'utf8')).toBe('<p>added</p>');
    expect(await readFile(elsewhere, 'utf8')).toBe('<p>other</p>');
    expect(await readFile(page, 'utf8')).toBe('<p>new</p>');
    expect(await readFile(other, 'utf8')).toBe('<p>other, new</p>');
    await folders.close();
    expect(await siblings(root)).toEqual([]);
  });

  it('should set aside again in a later session of the same process, whose folders have the names of the removed ones', async () => {
    const { root, dist, page } = await siteWithPage();
    const earlier = new SetAsideFolders(dist);
    const sink = liveSink(dist, earlier);
    sink.put({ path: 'zh-hans/2019/report/index.html', contents: '<p>new</p>' });
    await sink.finish([], null);
    await earlier.close();
    expect(await siblings(root)).toEqual([]);

    const later = new SetAsideFolders(dist);
    const replacedInode = (await stat(page)).ino;
    const again = liveSink(dist, later);
    again.put({ path: 'zh-hans/2019/report/index.html', contents: '<p>newer</p>' });
    const [kept] = await filesIn(path.join(root, `dist.replaced-${process.pid}`));
    expect(kept && (await stat(kept)).ino).toBe(replacedInode);
    await again.finish([], null);
    await later.close();
  });

  it("should not fill one session's set-aside files with another's pages", async () => {
    const first = await siteWithPage();
    const second = await siteWithPage();
    const [one, two] = [new SetAsideFolders(first.dist), new SetAsideFolders(second.dist)];
    const oldInode = (await stat(first.page)).ino;
    const sinkOne = liveSink(first.dist, one);
    sinkOne.put({ path: 'zh-hans/2019/report/index.html', contents: '<p>new</p>' });
    // The first session's rebuild is still under way: the file it set aside may still be read.
    const sinkTwo = liveSink(second.dist, two);
    sinkTwo.put({ path: 'zh-hans/2019/report/index.html', contents: '<p>other site</p>' });
    expect((await stat(second.page)).ino).not.toBe(oldInode);
    await Promise.all([sinkOne.finish([], null), sinkTwo.finish([], null)]);
    await Promise.all([one.close(), two.close()]);
  });

  it('should write out the files the last rebuild set aside, until told to stop, and nothing once closed', async () => {
    const { root, dist, page } = await siteWithPage();
    const other = path.join(dist, 'zh-hans/2019/other/index.html');
    await mkdir(path.dirname(other), { recursive: true });
    await writeFile(other, '<p>other</p>');
    const folders = new SetAsideFolders(dist);
    const rebuild = async (text: string): Promise<string[]> => {
      const sink = liveSink(dist, folders);
      sink.put({ path: 'zh-hans/2019/report/index.html', contents: `<p>${text}</p>` });
      sink.put({ path: 'zh-hans/2019/other/index.html', contents: `<p>other, ${text}</p>` });
      await sink.finish([], null);
      const base = path.join(root, `dist.replaced-${process.pid}`);
      const rounds = (await readdir(base)).sort((a, b) => Number(a) - Number(b));
      return (await filesIn(path.join(base, rounds.at(-1) as string))).sort();
    };

    await rebuild('new');
    const second = await rebuild('newer');
    writtenOut.length = 0;
    await folders.writeOutLatest(() => false);
    // The last rebuild's files, not the one before's (the last one filled those again).
    expect(writtenOut.sort()).toEqual(second);
    expect(second).toHaveLength(2);

    writtenOut.length = 0;
    await folders.writeOutLatest(() => true);
    expect(writtenOut).toEqual([]);

    await rebuild('newest');
    await folders.close();
    await folders.writeOutLatest(() => false);
    expect(writtenOut).toEqual([]);
    expect(await siblings(root)).toEqual([]);
    expect(await readFile(page, 'utf8')).toBe('<p>newest</p>');
  });

  it('should remove the set-aside folder of a process that was killed, and keep a live one', async () => {
    const { root, dist } = await siteWithPage();
    // No process has this number (above Linux's pid_max); the test process's own folder is a live one.
    await mkdir(path.join(root, 'dist.replaced-4194305/1'), { recursive: true });
    await writeFile(path.join(root, 'dist.replaced-4194305/1/1-1'), 'old');
    await mkdir(path.join(root, `dist.replaced-${process.pid}/1`), { recursive: true });
    await recoverOutput(dist);
    expect(await siblings(root)).toEqual([`dist.replaced-${process.pid}`]);
  });

});
