import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaults } from '../../src/pipeline/index.js';
import { loadSummary } from '../../src/pipeline/manifest.js';
import { startWatching, type WatchSession } from '../../src/watch/index.js';
import { buildInProcess, freshTree } from '../helpers/build.js';
import { makeProject, projectOptions } from '../helpers/cli.js';
import { hashTree } from '../helpers/tree.js';
import { waitFor } from '../helpers/wait.js';

/** The summary of the record of a project's output folder, or null when there is none. */
function recordOf(project: string): ReturnType<typeof loadSummary> {
  return loadSummary(path.join(project, defaults.cacheDir), projectOptions(project));
}

/**
 * Whether a rebuild succeeded after line `before`. Not just any line: a save
 * can be caught half-written, and the failed build of that moment is followed
 * by the one that reads the whole file.
 */
function rebuiltSince(lines: readonly string[], before: number): boolean {
  return lines.slice(before).some((line) => line.startsWith('[broadsheet] rebuilt '));
}

/** A watch session on a project with its cache where `build` keeps it, logging into `lines` (emptied first). */
function watchProject(project: string, lines: string[]): Promise<WatchSession> {
  lines.length = 0;
  return startWatching({
    ...projectOptions(project),
    cacheDir: path.join(project, defaults.cacheDir),
    log: (line) => lines.push(line),
    logError: (text) => lines.push(text),
  });
}

/**
 * A watch session over a site that `broadsheet build` wrote starts from the
 * record that build left, as the next one-shot build would: it renders the
 * pages whose inputs changed since, not the whole site.
 */
describe('broadsheet watch over a built site', () => {
  let project: string;
  let session: WatchSession | null = null;
  const lines: string[] = [];

  async function watch(): Promise<WatchSession> {
    session = await watchProject(project, lines);
    return session;
  }

  afterEach(async () => {
    await session?.close();
    session = null;
    await rm(project, { recursive: true, force: true });
  });

  it('should write nothing when nothing changed since the build, and leave its record true', async () => {
    project = await makeProject({ search: true });
    await buildInProcess(project);
    const before = await hashTree(path.join(project, 'dist'));
    const page = path.join(project, 'dist/zh-hans/2019/meizhou-last-mile/index.html');
    const written = (await stat(page)).mtimeMs;

    await watch();
    expect(lines[0]).toMatch(/^\[broadsheet\] built \d+ pages, wrote 0 files in \d+ ms$/);
    await session?.close();
    session = null;

    expect(await hashTree(path.join(project, 'dist'))).toEqual(before);
    expect((await stat(page)).mtimeMs).toBe(written);
    // The record still describes the folder: the next one-shot build has nothing to do.
    expect((await buildInProcess(project)).upToDate).toBe(true);
  });

  it('should rebuild after an edit to a file the record knew unchanged', async () => {
    project = await makeProject();
    await buildInProcess(project);
    const watching = await watch();
    const report = path.join(project, 'content/2019/meizhou-last-mile.md');
    const before = lines.length;
    await writeFile(report, (await readFile(report, 'utf8')).replace('火车跑得快', '火车跑得飞快'));
    await waitFor(() => rebuiltSince(lines, before), 10_000, 'a rebuild');
    await watching.idle();
    expect(await readFile(path.join(project, 'dist/zh-hans/2019/meizhou-last-mile/index.html'), 'utf8')).toContain('火车跑得飞快');
    expect(await hashTree(path.join(project, 'dist'))).toEqual(await freshTree(project));
  });

  it('should render what changed since the build, match a fresh build, and go on from there', async () => {
    project = await makeProject();
    await buildInProcess(project);
    const report = path.join(project, 'content/2019/meizhou-last-mile.md');
    await writeFile(report, (await readFile(report, 'utf8')).replace('火车跑得快', '火车跑得飞快'));
    const template = path.join(project, 'templates/partials/cite.njk');
    await writeFile(template, `${await readFile(template, 'utf8')}<!-- cite, edited -->\n`);

    const watching = await watch();
    const [, pages = '', files = ''] = /^\[broadsheet\] built (\d+) pages, wrote (\d+) files/.exec(lines[0] ?? '') ?? [];
    // The article pages show the partial; the other pages were written by the build and stay.
    expect(Number(files)).toBeGreaterThan(0);
    expect(Number(files)).toBeLessThan(Number(pages));
    expect(await hashTree(path.join(project, 'dist'))).toEqual(await freshTree(project));

    // Its rebuilds start from the plans of that first build.
    const before = lines.length;
    await writeFile(report, (await readFile(report, 'utf8')).replace('火车跑得飞快', '火车跑得更快'));
    await waitFor(() => rebuiltSince(lines, before), 10_000, 'a rebuild');
    await watching.idle();
    expect(lines.at(-1)).toMatch(/^\[broadsheet\] rebuilt /);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(await freshTree(project));
  });
});

describe('broadsheet watch, when it ends', () => {
  let project: string;
  let session: WatchSession | null = null;
  const lines: string[] = [];
  const report = () => path.join(project, 'content/2019/meizhou-last-mile.md');

  async function watch(): Promise<WatchSession> {
    session = await watchProject(project, lines);
    return session;
  }

  /** Saves a file and waits until the session has rebuilt after it, or failed to when `fails`. */
  async function save(file: string, edit: (text: string) => string, fails = false): Promise<void> {
    const before = lines.length;
    await writeFile(file, edit(await readFile(file, 'utf8')));
    const done = fails ? () => lines.slice(before).some((line) => line.startsWith('[broadsheet] build failed')) : () => rebuiltSince(lines, before);
    await waitFor(done, 10_000, fails ? 'a failed rebuild' : 'a rebuild');
    await session?.idle();
  }

  async function end(): Promise<void> {
    await session?.close();
    session = null;
  }

  afterEach(async () => {
    await end();
    await rm(project, { recursive: true, force: true });
  });

  it('should leave the record of what it wrote, so that the next build has nothing to do', async () => {
    project = await makeProject();
    await watch();
    await save(report(), (text) => text.replace('火车跑得快', '火车跑得飞快'));
    const template = path.join(project, 'templates/partials/cite.njk');
    await save(template, (text) => `${text}<!-- cite, edited -->\n`);
    await end();

    expect((await buildInProcess(project)).upToDate).toBe(true);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(await freshTree(project));
    // The next session starts from it too, and writes nothing.
    await watch();
    expect(lines[0]).toMatch(/wrote 0 files/);
  });

  it('should record search bundles the background index had not caught up with, for the next build to index', async () => {
    project = await makeProject({ search: true });
    await watch();
    // Stopped before the background index caught up with the edit.
    await save(report(), (text) => text.replace('火车跑得快', '火车跑得飞快'));
    await end();
    const next = await buildInProcess(project);
    expect(next.upToDate).toBeFalsy();
    expect(next.rendered).toEqual([]);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(await freshTree(project));
    expect((await buildInProcess(project)).upToDate).toBe(true);
  });

  it('should leave no record when its last build failed', async () => {
    project = await makeProject();
    await watch();
    await save(report(), (text) => text.replace(/^title: .*$/m, 'title: [unclosed'), true);
    expect(lines.at(-1)).toMatch(/build failed/);
    await end();
    expect(recordOf(project)).toBeNull();
    // Recorded, the broken file would pass for built: the next build finds it instead.
    await expect(buildInProcess(project)).rejects.toThrow();
  });

  it('should leave no record when the configuration changed', async () => {
    project = await makeProject();
    await watch();
    await save(path.join(project, 'broadsheet.yaml'), (text) => `${text}\n# edited\n`);
    await end();
    expect(recordOf(project)).toBeNull();
    expect((await buildInProcess(project)).upToDate).toBeFalsy();
  });
});
