import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, runBroadsheet, spawnBroadsheet } from '../helpers/cli.js';
import { cliBin } from '../helpers/paths.js';
import { writeCorpus } from '../helpers/corpus.js';
import { hashTree } from '../helpers/tree.js';

// SIGKILL at many moments of a cold build of 60 content files (30 reports and
// their translations), from start-up through parsing, rendering and writing the
// staging folder: the previous dist/ must survive exactly, and the next build
// must clean up whatever the killed one left. Kills inside an incremental
// build's patch, at exact points, are in tests/hardening/kills.test.ts.

/** Starts a build and kills it with SIGKILL after `ms` milliseconds (or lets it end, if it is faster). */
function killBuildAfter(project: string, ms: number, args: readonly string[] = []): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBin, 'build', ...args], { cwd: project, stdio: 'ignore' });
    let killed = false;
    const timer = setTimeout(() => {
      killed = child.kill('SIGKILL');
    }, ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(killed);
    });
  });
}

/** Leftovers of killed builds beside the output folder. */
async function leftovers(project: string): Promise<string[]> {
  return (await readdir(project)).filter((name) => /^dist\./.test(name));
}

describe('a build killed part way', () => {
  it('should leave the previous output exactly as it was, at every kill point', async () => {
    // Search off (makeProject's default) to keep the test short; tests/hardening/kills.test.ts covers the search bundles.
    const project = await makeProject();
    writeCorpus(path.join(project, 'content/corpus'), { articles: 30, translations: true });
    // Timed as the builds to kill run: in a process of their own, without the cache.
    const started = Date.now();
    expect(spawnBroadsheet(['build', '--no-cache'], project).code).toBe(0);
    const duration = Date.now() - started;
    const before = await hashTree(path.join(project, 'dist'));

    // Cold builds (no cache), killed from start-up through parsing, rendering and writing the staging folder.
    let killedCount = 0;
    for (const fraction of [0.05, 0.2, 0.4, 0.6, 0.75, 0.9]) {
      if (await killBuildAfter(project, Math.round(duration * fraction), ['--no-cache'])) killedCount += 1;
      expect(await hashTree(path.join(project, 'dist'))).toEqual(before);
    }
    // A build may end before its kill on a machine that got faster since the timed one; most must be killed.
    expect(killedCount).toBeGreaterThanOrEqual(3);
    console.log(`[kill] cold build of 60 files (${duration} ms): ${killedCount} kills, dist/ unchanged after each`);

    // A successful build removes what the killed ones left, and gives the same site.
    expect((await runBroadsheet(['build', '--no-cache'], project)).code).toBe(0);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(before);
    expect(await leftovers(project)).toEqual([]);
  }, 600_000);
});
