import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBroadsheet } from '../helpers/cli.js';
import { makeCorpusProject } from '../helpers/corpus.js';
import { hashTree } from '../helpers/tree.js';

// The output depends only on the files: not on the number of worker threads, nor on what the cache holds.

describe('worker threads and the cache', () => {
  it('should give the same output with and without worker threads, with and without the cache', async () => {
    // 80 files with translations: enough for the worker pool to start.
    const project = await makeCorpusProject(40);
    const dist = path.join(project, 'dist');
    expect((await runBroadsheet(['build', '--no-cache', '--workers', '0'], project)).code).toBe(0);
    const inProcess = await hashTree(dist);
    expect(existsSync(path.join(project, '.broadsheet-cache'))).toBe(false);
    await rm(dist, { recursive: true });
    expect((await runBroadsheet(['build', '--workers', '2'], project)).code).toBe(0);
    expect(await hashTree(dist)).toEqual(inProcess);
    expect(existsSync(path.join(project, '.broadsheet-cache'))).toBe(true);
    // A new output folder: the manifest describes the old one, so everything is rendered from the cached articles.
    await rm(dist, { recursive: true });
    const cached = await runBroadsheet(['build', '--profile'], project);
    expect(cached.stdout).toMatch(/^built /);
    expect(await hashTree(dist)).toEqual(inProcess);
  });

});
