import { execFileSync, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, runBroadsheet } from '../helpers/cli.js';
import { cliBin, genCorpus } from '../helpers/paths.js';
import { hashTree } from '../helpers/tree.js';

/** Starts a build and kills it with SIGKILL after `ms` milliseconds (or lets it end, if it is faster). */
function killBuildAfter(project: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBin, 'build'], { cwd: project, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('a build killed part way', () => {
  it('should leave the previous output exactly as it was, and the next build should clean up after it', async () => {
    const project = await makeProject();
    execFileSync(process.execPath, [genCorpus, '--articles', '150', '--out', path.join(project, 'content'), '--translations'], { stdio: 'ignore' });
    expect(runBroadsheet(['build'], project).code).toBe(0);
    const before = await hashTree(path.join(project, 'dist'));
    // Kill points spread over loading, rendering, writing the staging folder and indexing.
    for (const ms of [150, 600, 1200, 2000, 3000]) {
      await killBuildAfter(project, ms);
      expect(await hashTree(path.join(project, 'dist'))).toEqual(before);
    }
    expect(runBroadsheet(['build'], project).code).toBe(0);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(before);
    expect((await readdir(project)).filter((name) => /^dist\./.test(name))).toEqual([]);
  }, 120_000);
});
