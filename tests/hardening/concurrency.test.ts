import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWatching } from '../../src/watch/index.js';
import { writeCorpus } from '../helpers/corpus.js';
import { makeProject, projectOptions, runBroadsheet } from '../helpers/cli.js';
import { cliBin } from '../helpers/paths.js';
import { hashTree } from '../helpers/tree.js';
import { waitFor } from '../helpers/wait.js';

// One writer per output folder at a time: a second build waits and says so, a build beside a watch session
// is refused plainly, and a lock left by a killed process is taken over.

describe('two broadsheet processes and one output folder', () => {
  it('should make a second build wait for the first, and both end well', async () => {
    const project = await makeProject();
    writeCorpus(path.join(project, 'content/corpus'), { articles: 15, translations: true });
    const first = spawn(process.execPath, [cliBin, 'build'], { cwd: project, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => first.on('exit', resolve));
    await waitFor(() => existsSync(path.join(project, 'dist.lock')), 30_000, 'the first build to take the lock');
    // Held still while it holds the lock, the first build cannot end before the second has found the lock
    // there: a small build on a fast hour would otherwise be done before the second one starts.
    first.kill('SIGSTOP');
    const second = spawn(process.execPath, [cliBin, 'build'], { cwd: project, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const secondExited = new Promise<number | null>((resolve) => second.on('exit', resolve));
    try {
      await waitFor(() => stderr.includes('waiting for the build'), 60_000, 'the second build to wait');
    } finally {
      first.kill('SIGCONT');
    }
    expect(await exited).toBe(0);
    expect(await secondExited, stderr).toBe(0);
    expect(stderr).toMatch(/^waiting for the build \(process \d+\) that is writing to dist…$/m);
    expect(existsSync(path.join(project, 'dist.lock'))).toBe(false);
    expect((await runBroadsheet(['build', '--no-cache', '--out', 'fresh'], project)).code).toBe(0);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(await hashTree(path.join(project, 'fresh')));
  }, 180_000);

  it('should refuse a build while a watch session writes the folder, and take over a lock its process left', async () => {
    const project = await makeProject();
    const session = await startWatching({ ...projectOptions(project), log: () => undefined, logError: () => undefined });
    try {
      const refused = await runBroadsheet(['build'], project);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`^dist {2}BS404 {2}broadsheet watch \\(process ${process.pid}\\) is writing to dist$`, 'm'));
    } finally {
      await session.close();
    }
    expect(existsSync(path.join(project, 'dist.lock'))).toBe(false);
    // A lock whose process is gone, as a kill leaves it.
    await writeFile(path.join(project, 'dist.lock'), JSON.stringify({ pid: 2 ** 22 + 7, writer: 'build' }));
    const built = await runBroadsheet(['build'], project);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).toBe('');
    expect(existsSync(path.join(project, 'dist.lock'))).toBe(false);
  }, 120_000);
});
