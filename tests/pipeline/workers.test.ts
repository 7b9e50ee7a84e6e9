import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Builder } from '../../src/pipeline/builder.js';
import { freshTree } from '../helpers/build.js';
import { projectOptions, runBroadsheet } from '../helpers/cli.js';
import { makeCorpusProject } from '../helpers/corpus.js';
import { hashTree } from '../helpers/tree.js';

// The output depends only on the files: not on the number of worker threads, nor on what the cache holds.

describe('worker threads and the cache', () => {
  it('should give the same output with and without worker threads, with and without the cache', async () => {
    // 100 reports with translations: enough for both pools (parsing, rendering) to start.
    const project = await makeCorpusProject(100);
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

    // Watch mode's builder after layout edits: every page rendered again, in the workers it keeps between
    // builds, written in place by them. Each edit must reach threads that compiled the templates before it,
    // and the threads keep the plans they rendered: a report edited between two layout edits must render
    // from its new plan, not the one a thread kept.
    const options = { ...projectOptions(project), workers: 2, deferSearch: true, keepRenderThreads: true };
    const builder = new Builder(options);
    // The first report of the corpus, and its Simplified page (`corpus/<year>/<name>.md` is `/zh-hans/corpus/<year>/<name>/`).
    const name = (await readdir(path.join(options.contentDir, 'corpus'), { recursive: true })).filter((file) => /^\d{4}\/a\d+\.md$/.test(file)).sort()[0] ?? 'none';
    const report = path.join(options.contentDir, 'corpus', name);
    const layout = path.join(options.templatesDir, 'layouts/base.njk');
    const editLayout = async (mark: string): Promise<void> => {
      await writeFile(layout, (await readFile(layout, 'utf8')).replace(/<footer class="site-footer[^"]*">/, `<footer class="site-footer ${mark}">`));
      const edited = await builder.build({ templates: true });
      expect(edited.errors).toEqual([]);
      expect(edited.rendered.length).toBeGreaterThan(600);
      expect(await hashTree(dist)).toEqual(await freshTree(project, { workers: 0 }));
    };
    try {
      expect((await builder.build()).errors).toEqual([]);
      await editLayout('edited');
      await writeFile(report, `${await readFile(report, 'utf8')}\n追加的一段，编辑于两次版式修改之间。\n`);
      expect((await builder.build({ content: [report] })).errors).toEqual([]);
      await editLayout('edited-again');
      const page = path.join(dist, 'zh-hans', 'corpus', name.replace(/\.md$/, ''), 'index.html');
      expect(await readFile(page, 'utf8')).toContain('追加的一段');
    } finally {
      await builder.close();
    }
  }, 120_000);

});
