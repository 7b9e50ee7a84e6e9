import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverPatches } from '../../src/write/patch.js';
import { makeProject, runBroadsheet } from '../helpers/cli.js';
import { cliBin } from '../helpers/paths.js';
import { writeCorpus } from '../helpers/corpus.js';
import { hashTree } from '../helpers/tree.js';

// SIGKILL at many moments of a build of 2,000 content files (1,000 reports and
// their translations): the previous dist/ must survive exactly, and the next
// build must clean up whatever the killed one left.

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
    const project = await makeProject();
    // Search off here to keep the test short; the incremental test below covers the search bundles.
    const config = path.join(project, 'broadsheet.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace(/^search: true$/m, 'search: false'));
    writeCorpus(path.join(project, 'content/corpus'), { articles: 1000, translations: true });
    const started = Date.now();
    expect(runBroadsheet(['build'], project).code).toBe(0);
    const duration = Date.now() - started;
    const before = await hashTree(path.join(project, 'dist'));

    // Cold builds (no cache), killed from start-up through parsing, rendering and writing the staging folder.
    let killedCount = 0;
    for (const fraction of [0.05, 0.2, 0.4, 0.6, 0.8, 0.95]) {
      if (await killBuildAfter(project, Math.round(duration * fraction), ['--no-cache'])) killedCount += 1;
      expect(await hashTree(path.join(project, 'dist'))).toEqual(before);
    }
    expect(killedCount).toBeGreaterThanOrEqual(4);
    console.log(`[kill] cold build of 2,000 files (${duration} ms): ${killedCount} kills, dist/ unchanged after each`);

    // A successful build removes what the killed ones left, and gives the same site.
    expect(runBroadsheet(['build', '--no-cache'], project).code).toBe(0);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(before);
    expect(await leftovers(project)).toEqual([]);
  }, 600_000);

  it('should roll an interrupted incremental build back to the previous output', async () => {
    const project = await makeProject();
    writeCorpus(path.join(project, 'content/corpus'), { articles: 100, translations: true });
    expect(runBroadsheet(['build'], project).code).toBe(0);
    const before = await hashTree(path.join(project, 'dist'));
    // Edit every report, so that the journaled patch has hundreds of pages and the search bundles to move.
    const sources = (await readdir(path.join(project, 'content/corpus'), { recursive: true })).filter((file) => /a\d+\.md$/.test(file));
    const originals = new Map<string, string>();
    for (const file of sources) originals.set(file, await readFile(path.join(project, 'content/corpus', file), 'utf8'));
    const edit = async (): Promise<void> => {
      for (const [file, text] of originals) await writeFile(path.join(project, 'content/corpus', file), `${text}\n补充一句。\n`);
    };
    await edit();
    const started = Date.now();
    expect(runBroadsheet(['build'], project).code).toBe(0);
    const duration = Date.now() - started;
    const after = await hashTree(path.join(project, 'dist'));
    expect(after).not.toEqual(before);
    for (const [file, text] of originals) await writeFile(path.join(project, 'content/corpus', file), text);
    expect(runBroadsheet(['build'], project).code).toBe(0);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(before);

    await edit();
    let inside = 0;
    let kills = 0;
    for (const fraction of [0.5, 0.7, 0.8, 0.9, 0.95, 1]) {
      if (await killBuildAfter(project, Math.round(duration * fraction))) kills += 1;
      if ((await leftovers(project)).some((name) => name.includes('.patch-'))) inside += 1;
      // What the next broadsheet build does first: undo what a killed one left half-applied.
      await recoverPatches(path.join(project, 'dist'));
      const now = JSON.stringify(await hashTree(path.join(project, 'dist')));
      // Either the patch was undone or it had been committed in full: never a mixture.
      expect([JSON.stringify(before), JSON.stringify(after)]).toContain(now);
      if (now === JSON.stringify(after)) break;
    }
    console.log(`[kill] incremental build (${duration} ms): ${kills} kills, ${inside} inside the patch, each rolled back or complete`);
    expect(runBroadsheet(['build'], project).code).toBe(0);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(after);
    expect(await leftovers(project)).toEqual([]);
  }, 600_000);
});
