import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWatching, type WatchSession } from '../../src/watch/index.js';
import { makeProject, projectOptions, runBroadsheet } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

// One policy for symbolic links inside content/, in build, check and watch alike: never followed,
// each reported once as a warning with its path. Nothing outside content/ is published; no link loops.

const article = (title: string, date = '2019-07-01'): string => `---\ntitle: ${title}\ndate: ${date}\n---\n\n${title}的正文。\n`;

/** A project like the probe's: the shipped templates, one article, and a folder outside content/ with Markdown in it. */
async function probeProject(): Promise<string> {
  const project = await makeProject({ content: false, search: false });
  await mkdir(path.join(project, 'content/2019'), { recursive: true });
  await writeFile(path.join(project, 'content/2019/a.md'), article('甲'));
  await mkdir(path.join(project, 'outside/inner'), { recursive: true });
  await writeFile(path.join(project, 'outside/inner/secret.md'), article('外面的秘密'));
  return project;
}

/** Every file of the output, relative to it. */
async function outputFiles(project: string): Promise<string[]> {
  return (await readdir(path.join(project, 'dist'), { recursive: true })).map((file) => file.split(path.sep).join('/'));
}

/** Adds the links the probe used: a folder outside, two files linked to each other, a link to the parent, a link to a sibling folder. */
async function addLinks(project: string): Promise<void> {
  await symlink('../../outside', path.join(project, 'content/2019/outdir'));
  await symlink('b.md', path.join(project, 'content/2019/c.md'));
  await symlink('c.md', path.join(project, 'content/2019/b.md'));
  await symlink('..', path.join(project, 'content/2019/loop'));
  await symlink('2019', path.join(project, 'content/self'));
}

const LINKS = ['content/2019/b.md', 'content/2019/c.md', 'content/2019/loop', 'content/2019/outdir', 'content/self'];

describe('symbolic links in the content folder', () => {
  it('should be skipped with one warning each by build and check alike, publishing nothing through them', async () => {
    const project = await probeProject();
    await addLinks(project);
    const built = await runBroadsheet(['build'], project);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('5 warnings');
    const files = await outputFiles(project);
    expect(files).toContain('zh-hans/2019/a/index.html');
    expect(files.filter((file) => /outdir|loop|self|\/[bc]\//.test(file))).toEqual([]);
    expect(await readFile(path.join(project, 'dist/zh-hans/feed.xml'), 'utf8')).not.toContain('外面的秘密');

    const checked = await runBroadsheet(['check'], project);
    expect(checked.code).toBe(1);
    const reported = [...checked.stderr.matchAll(/^(\S+)  BS214  /gm)].map((match) => match[1]);
    expect(reported).toEqual(LINKS);
  });

  it('should report a Markdown file named with dots only as an error, not skip it', async () => {
    const project = await probeProject();
    await writeFile(path.join(project, 'content/2019/..md'), article('点'));
    for (const command of ['build', 'check']) {
      const run = await runBroadsheet([command], project);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^content\/2019\/\.\.md {2}BS212 {2}.*nothing but dots/m);
    }
  });

  describe('while watching', () => {
    let session: WatchSession | null = null;
    afterEach(async () => {
      await session?.close();
      session = null;
    });

    it('should follow no link made while it runs, survive link loops, and end as a one-shot build would', async () => {
      const project = await probeProject();
      const lines: string[] = [];
      const problems: string[] = [];
      session = await startWatching({ ...projectOptions(project), log: (line) => lines.push(line), logError: (text) => problems.push(text) });
      const rebuilds = (): number => lines.filter((line) => line.includes('rebuilt')).length;
      const before = rebuilds();
      await addLinks(project);
      await waitFor(() => rebuilds() > before, 20_000, 'a rebuild after the links');
      // Then an ordinary edit: the session is alive and still building.
      await writeFile(path.join(project, 'content/2019/d.md'), article('丁', '2019-07-02'));
      await waitFor(async () => (await outputFiles(project)).includes('zh-hans/2019/d/index.html'), 20_000, 'the new article');
      await session.idle();
      expect(problems.filter((problem) => !problem.includes('BS214'))).toEqual([]);
      const watched = await outputFiles(project);
      expect(watched.filter((file) => /outdir|loop|self|\/[bc]\//.test(file))).toEqual([]);
      expect(await readFile(path.join(project, 'dist/zh-hans/feed.xml'), 'utf8')).not.toContain('外面的秘密');
      await session.close();
      session = null;
      // A one-shot build of the same folder into another output publishes the same pages.
      const fresh = await runBroadsheet(['build', '--out', 'fresh', '--no-cache'], project);
      expect(fresh.code).toBe(0);
      const freshFiles = (await readdir(path.join(project, 'fresh'), { recursive: true })).map((file) => file.split(path.sep).join('/'));
      const pages = (files: string[]): string[] => files.filter((file) => file.endsWith('.html') && !file.includes('pagefind')).sort();
      expect(pages(watched)).toEqual(pages(freshFiles));
    }, 60_000);
  });
});
