import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth, relaxHeapGrowth } from '../../src/pipeline/heap-growth.js';
import { build, isFewContentEdits } from '../../src/pipeline/index.js';
import { makeProject, projectOptions } from '../helpers/cli.js';

describe('limitHeapGrowth', () => {
  it.each([
    ['with dashes', ['--max-old-space-size=8192', '--heap-growing-percent=50']],
    ['with underscores', ['--heap_growing_percent=50']],
    ['as 0, which is V8\'s own choice', ['--heap-growing-percent=0']],
  ])("should leave the user's own growth limit alone, given %s", (_how, execArgv) => {
    expect(limitHeapGrowth(execArgv)).toBe(false);
  });

  it('should set the limit when the user gave none, whatever other flags they gave', () => {
    expect(limitHeapGrowth(['--max-old-space-size=8192', '--heap-growing-percentage-is-not-a-flag', '--enable-source-maps'])).toBe(true);
  });

  it('should give the growth back to V8 only once, and only when it was capped by broadsheet', () => {
    limitHeapGrowth(['--heap-growing-percent=50']);
    limitHeapGrowth([]);
    expect(relaxHeapGrowth()).toBe(true);
    expect(relaxHeapGrowth()).toBe(false);
  });
});

describe('the heap cap of a one-shot build', () => {
  // A build that starts from a previous output record and a few content edits renders a handful of
  // pages; it runs uncapped. Whether the cap is still set is read back through relaxHeapGrowth().
  async function builtProject(): Promise<{ options: Parameters<typeof build>[0]; project: string }> {
    const project = await makeProject();
    const options = { ...projectOptions(project), cacheDir: path.join(project, '.cache'), persist: true, workers: 0 };
    await build(options);
    return { options, project };
  }

  it('should lift the cap for a rebuild after an edit to one article', async () => {
    const { options, project } = await builtProject();
    await appendFile(path.join(project, 'content/2019/meizhou-last-mile.md'), '\n新增的一段。\n');
    limitHeapGrowth([]);
    const report = await build(options);
    expect(report.written.length).toBeGreaterThan(0);
    expect(relaxHeapGrowth()).toBe(false);
  });

  it('should keep the cap for a first build and after a template edit, which render every page', async () => {
    const { options, project } = await builtProject();
    await appendFile(path.join(project, 'templates/article.njk'), '\n{# edited #}\n');
    limitHeapGrowth([]);
    await build(options);
    expect(relaxHeapGrowth()).toBe(true);

    const fresh = await makeProject();
    limitHeapGrowth([]);
    await build({ ...projectOptions(fresh), cacheDir: path.join(fresh, '.cache'), persist: true, workers: 0 });
    expect(relaxHeapGrowth()).toBe(true);
  });

  it('should count only a few content files as a few edits', () => {
    const options = { contentDir: '/site/content' };
    expect(isFewContentEdits(['/site/content/2019/a.md', '/site/content/2019/a.en.md'], options)).toBe(true);
    expect(isFewContentEdits(['/site/content/2019/a.md', '/site/templates/base.njk'], options)).toBe(false);
    expect(isFewContentEdits(['/site/broadsheet.yaml'], options)).toBe(false);
    expect(isFewContentEdits(Array.from({ length: 65 }, (_, n) => `/site/content/2019/a${n}.md`), options)).toBe(false);
  });
});
