import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWatching, type WatchSession } from '../../src/watch/index.js';
import { makeProject, projectOptions } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

describe('broadsheet watch on a temporary copy', () => {
  let project: string;
  let session: WatchSession;
  const lines: string[] = [];
  const problems: string[] = [];
  const dist = (...parts: string[]) => path.join(project, 'dist', ...parts);
  const exists = (file: string) => stat(file).then(() => true, () => false);
  const rebuilds = () => lines.filter((line) => line.includes('rebuilt') || line.includes('build failed')).length;

  /**
   * Makes a change and waits until the watcher has rebuilt after it, or failed
   * to. Waiting for the outcome expected, not any: a save caught half-written
   * can fail a build that the save's end then mends.
   */
  async function change(action: () => Promise<void>, outcome: 'rebuilt' | 'build failed' = 'rebuilt'): Promise<void> {
    const before = lines.length;
    await action();
    await waitFor(() => lines.slice(before).some((line) => line.startsWith(`[broadsheet] ${outcome}`)), 10_000, `a line "${outcome}"`);
    await session.idle();
  }

  beforeEach(async () => {
    project = await makeProject({ search: false });
    lines.length = 0;
    problems.length = 0;
    session = await startWatching({
      ...projectOptions(project),
      log: (line) => lines.push(line),
      logError: (text) => problems.push(text),
    });
  });

  afterEach(async () => {
    await session.close();
    // The files its rebuilds replaced were set aside beside the output (write/set-aside.ts) and go with the session.
    expect((await readdir(project)).filter((name) => name.startsWith('dist.'))).toEqual([]);
  });

  it('should rebuild after an edit, printing one line with what and how long', async () => {
    const file = path.join(project, 'content/2019/meizhou-last-mile.md');
    await change(async () => writeFile(file, (await readFile(file, 'utf8')).replace('火车跑得快', '火车跑得飞快')));
    expect(await readFile(dist('zh-hans/2019/meizhou-last-mile/index.html'), 'utf8')).toContain('火车跑得飞快');
    expect(await readFile(dist('zh-hant/2019/meizhou-last-mile/index.html'), 'utf8')).toContain('火車跑得飛快');
    expect(lines.at(-1)).toMatch(/^\[broadsheet\] rebuilt \d+ of \d+ pages, wrote \d+, deleted 0 in \d+ ms \(1 content file\)$/);
  });

  it('should add, delete and rename articles and keep the indexes in step', async () => {
    const added = path.join(project, 'content/2020/new-report.md');
    await change(async () => {
      await mkdir(path.dirname(added), { recursive: true });
      await writeFile(added, '---\ntitle: 新的报道\ndate: 2020-03-01\n---\n\n导语。\n');
    });
    expect(await exists(dist('zh-hans/2020/new-report/index.html'))).toBe(true);
    expect(await readFile(dist('zh-hans/index.html'), 'utf8')).toContain('新的报道');

    const renamed = path.join(project, 'content/2020/renamed-report.md');
    await change(() => rename(added, renamed));
    await waitFor(() => exists(dist('zh-hans/2020/renamed-report/index.html')), 10_000, 'the renamed page');
    await session.idle();
    expect(await exists(dist('zh-hans/2020/new-report/index.html'))).toBe(false);

    await change(() => rm(renamed));
    await waitFor(async () => !(await exists(dist('zh-hans/2020/renamed-report/index.html'))), 10_000, 'the page to go');
    await session.idle();
    expect(await readFile(dist('zh-hans/index.html'), 'utf8')).not.toContain('新的报道');
    expect(await exists(dist('zh-hans/2020'))).toBe(false);
  });

  it('should follow an edit to an included partial and to a catalogue', async () => {
    const partial = path.join(project, 'templates/partials/related.njk');
    await change(async () => writeFile(partial, (await readFile(partial, 'utf8')).replace('class="related"', 'class="related teasers"')));
    expect(await readFile(dist('en/2019/meizhou-last-mile/index.html'), 'utf8')).toContain('class="related teasers"');
    const catalogue = path.join(project, 'templates/i18n/en.yaml');
    await change(async () => writeFile(catalogue, (await readFile(catalogue, 'utf8')).replace('related: Related news', 'related: More from that page')));
    expect(await readFile(dist('en/2019/meizhou-last-mile/index.html'), 'utf8')).toContain('More from that page');
  });

  it('should report a syntax error with file and line, keep the last good pages, and recover', async () => {
    const page = dist('zh-hans/2019/meizhou-last-mile/index.html');
    const good = await readFile(page, 'utf8');
    const template = path.join(project, 'templates/article.njk');
    const text = await readFile(template, 'utf8');
    await change(() => writeFile(template, text.replace('{% endblock %}', '{% endblok %}')), 'build failed');
    expect(problems.join('\n')).toMatch(/templates\/article\.njk:\d+:\d+  BS302/);
    expect(lines.at(-1)).toMatch(/build failed with 1 problem/);
    expect(await readFile(page, 'utf8')).toBe(good);
    await change(() => writeFile(template, text));
    expect(lines.at(-1)).toMatch(/rebuilt/);
  });

  it('should print each warning in full once, with its file and line, and then count it', async () => {
    const future = path.join(project, 'content/2019/future.md');
    // Written beside the content and moved in, as an editor saves: a watcher that saw the file created
    // empty would report a failed build first (it did, on a loaded machine).
    const draft = path.join(project, 'future.md');
    await writeFile(draft, '---\ntitle: 未来\ndate: 2999-12-31\n---\n\n正文。\n');
    await change(() => rename(draft, future));
    const printed = problems.filter((problem) => problem.includes('BS218'));
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/content\/2019\/future\.md:3:7 {2}BS218 {2}warning: the date 2999-12-31 is in the future\n/);
    expect(lines.at(-1)).toMatch(/, 1 warning$/);
    // The next build counts it without printing it again.
    const file = path.join(project, 'content/2019/meizhou-last-mile.md');
    await change(async () => writeFile(file, (await readFile(file, 'utf8')).replace('火车跑得快', '火车跑得飞快')));
    expect(problems.filter((problem) => problem.includes('BS218'))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/, 1 warning$/);
  });

  it('should coalesce a burst of saves and end with the last one', async () => {
    const file = path.join(project, 'content/2019/meizhou-last-mile.en.md');
    const text = await readFile(file, 'utf8');
    const before = rebuilds();
    for (let save = 1; save <= 25; save++) await writeFile(file, text.replace('A train runs fast', `Save ${save}: a train runs fast`));
    await waitFor(async () => (await readFile(dist('en/2019/meizhou-last-mile/index.html'), 'utf8')).includes('Save 25:'), 10_000, 'the last save');
    await session.idle();
    expect(rebuilds() - before).toBeLessThan(25);
  });

  it('should ignore editor artefacts', async () => {
    const before = rebuilds();
    await writeFile(path.join(project, 'content/2019/.meizhou-last-mile.md.swp'), 'swap');
    await writeFile(path.join(project, 'content/2019/meizhou-last-mile.md~'), 'backup');
    await writeFile(path.join(project, 'content/2019/4913'), '');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(rebuilds()).toBe(before);
  });
});
