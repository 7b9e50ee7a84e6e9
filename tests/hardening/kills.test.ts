import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/serve/server.js';
import { writeCorpus } from '../helpers/corpus.js';
import { makeProject, runBroadsheet } from '../helpers/cli.js';
import { cliBin } from '../helpers/paths.js';
import { hashTree } from '../helpers/tree.js';
import { buildInProcess } from '../helpers/build.js';

// A kill while a build writes must never leave a reader (a server, a deploy) without a page: each file is
// replaced by a rename, so it is always the old one or the new one; and the next broadsheet command puts
// back exactly the previous output. Kills land at exact points of the patch through BROADSHEET_FAILPOINT.

/** Every page of a built site, as a reader asks for it: `/zh-hans/2019/x/`. */
function pageUrls(tree: Record<string, string>): string[] {
  return Object.keys(tree)
    .filter((file) => file.endsWith('.html'))
    .map((file) => `/${file.replace(/(^|\/)index\.html$/, '$1')}`);
}

/** The URLs a server does not answer with 200, asked a few at a time. */
async function missingPages(dist: string, urls: readonly string[]): Promise<string[]> {
  const server = await startServer({ root: dist, port: 0, liveReload: false });
  const missing: string[] = [];
  try {
    for (let start = 0; start < urls.length; start += 16) {
      await Promise.all(
        urls.slice(start, start + 16).map(async (url) => {
          const response = await fetch(new URL(url.slice(1), server.url));
          await response.arrayBuffer();
          if (response.status !== 200) missing.push(`${url} ${response.status}`);
        }),
      );
    }
  } finally {
    await server.close();
  }
  return missing;
}

const leftovers = async (project: string): Promise<string[]> => (await readdir(project)).filter((name) => /^dist\./.test(name));

describe('a build killed while it writes', () => {
  it('should leave every page in place at every kill point of a patch, and each command should put back the previous output', async () => {
    const project = await makeProject({ search: true });
    writeCorpus(path.join(project, 'content/corpus'), { articles: 10, translations: true });
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    const dist = path.join(project, 'dist');
    const before = await hashTree(dist);
    const urls = pageUrls(before);
    // A template edit rewrites every article page and re-indexes search: a patch of hundreds of files.
    const template = path.join(project, 'templates/article.njk');
    const original = await readFile(template, 'utf8');
    const edit = (): Promise<void> => writeFile(template, original.replace('</article>', '<p class="edited">edited</p></article>'));
    await edit();

    // Each kill point, then the command that comes upon the folder first: it undoes the patch before anything else.
    // The first kill, before anything moved, tells how many changes the patch has: the others spread over them.
    const points: [number | ((changes: number) => number), 'check' | 'serve'][] = [
      [0, 'check'],
      [1, 'serve'],
      [(changes) => Math.floor(changes / 2), 'check'],
      // Every change made, the patch not yet marked committed.
      [(changes) => changes, 'serve'],
    ];
    let changes = 0;
    for (const [point, command] of points) {
      const step = typeof point === 'number' ? point : point(changes);
      const run = await runBroadsheet(['build'], project, { BROADSHEET_FAILPOINT: `patch:${step}` });
      expect(run.signal, `kill at ${step} of ${changes}`).toBe('SIGKILL');
      const patch = (await leftovers(project)).find((name) => name.startsWith('dist.patch-'));
      expect(patch, `kill at ${step}`).toBeDefined();
      if (step === 0) {
        const journal = JSON.parse(await readFile(path.join(project, patch ?? '', 'journal.json'), 'utf8')) as { writes: string[]; deletes: string[] };
        changes = journal.writes.length + journal.deletes.length;
        expect(changes).toBeGreaterThan(30);
      }
      // A reader that knows nothing of broadsheet: every page of the site answers, old or new.
      expect(await missingPages(dist, urls), `kill at ${step}`).toEqual([]);
      await recoverWith(project, command);
      expect(await hashTree(dist), `after a kill at ${step}, ${command}`).toEqual(before);
      expect(await leftovers(project)).toEqual([]);
      // The killed build had let go of its record: a build of the unedited templates makes one again.
      await writeFile(template, original);
      await buildInProcess(project);
      expect(await hashTree(dist)).toEqual(before);
      await edit();
    }

    // The next build, killed and then run again, undoes the killed one first and then completes it: a fresh build's site.
    expect((await runBroadsheet(['build'], project, { BROADSHEET_FAILPOINT: `patch:${Math.floor(changes / 2)}` })).signal).toBe('SIGKILL');
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    const after = await hashTree(dist);
    expect(after).not.toEqual(before);
    expect(await leftovers(project)).toEqual([]);
    expect((await runBroadsheet(['build', '--no-cache', '--out', 'fresh'], project)).code).toBe(0);
    expect(after).toEqual(await hashTree(path.join(project, 'fresh')));
  }, 600_000);

  it('should put back the previous output after a kill between the two renames of a full build', async () => {
    const project = await makeProject({ search: true });
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    const dist = path.join(project, 'dist');
    const before = await hashTree(dist);
    const run = await runBroadsheet(['build', '--no-cache'], project, { BROADSHEET_FAILPOINT: 'swap:1' });
    expect(run.signal).toBe('SIGKILL');
    expect(existsSync(dist)).toBe(false);
    // `broadsheet serve` puts it back before serving.
    const server = spawn(process.execPath, [cliBin, 'serve', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        server.stdout.on('data', (chunk: Buffer) => {
          const match = /at (http:\/\/\S+)/.exec(chunk.toString());
          if (match?.[1]) resolve(match[1]);
        });
        server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      expect((await fetch(new URL('zh-hans/2019/meizhou-last-mile/', url))).status).toBe(200);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await hashTree(dist)).toEqual(before);
    expect(await leftovers(project)).toEqual([]);
  }, 120_000);
});

/** Runs the command that comes upon a killed build's leftovers; `serve` is stopped once it has started. */
async function recoverWith(project: string, command: 'check' | 'serve'): Promise<void> {
  if (command === 'check') {
    expect((await runBroadsheet(['check'], project)).code).toBe(0);
    return;
  }
  const server = spawn(process.execPath, [cliBin, 'serve', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve) => server.stdout.on('data', () => resolve()));
  server.kill('SIGTERM');
  await new Promise((resolve) => server.on('exit', resolve));
}
