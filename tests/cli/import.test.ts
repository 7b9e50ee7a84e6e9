import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, runBroadsheet } from '../helpers/cli.js';
import { fixtures, seedFile } from '../helpers/paths.js';

describe('broadsheet import --json', () => {
  it('should print the documented shape for the seed', async () => {
    const project = await makeProject({ content: false });
    const run = await runBroadsheet(['import', seedFile, '--json'], project);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['title', 'kicker', 'subtitle', 'byline', 'lead', 'sections', 'related']));
    expect(report.sections.map((section: { paragraphs: string[] }) => section.paragraphs.length)).toEqual([6, 4, 4]);
    expect(report.sections.map((section: { subheading: string }) => section.subheading)).toEqual([
      '推动学习教育全覆盖',
      '推动领导责任落到底',
      '推动基层党员作表率',
    ]);
    expect(report.lead).toHaveLength(1);
    expect(report.byline).toHaveLength(2);
    expect(report.related).toHaveLength(1);
  });
});

describe('broadsheet import', () => {
  it('should write a content file that builds into the same article', async () => {
    const project = await makeProject({ content: false });
    const run = await runBroadsheet(['import', seedFile, '--out', 'content/2019', '--slug', 'seed'], project);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('content/2019/seed.md');
    const markdown = await readFile(path.join(project, 'content/2019/seed.md'), 'utf8');
    expect(markdown).toMatch(/^---\ntitle: 梅州打通基层党组织开展主题教育“最后一公里”纪实\n/);
    expect(markdown).toContain('\n## 抓载体创新\n\n### 推动学习教育全覆盖\n');
    expect(markdown).not.toMatch(/\n[^-\s].*新闻推荐/);
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
  });

  it('should import the rest of a batch when one file is bad, and exit 1', async () => {
    const project = await makeProject({ content: false });
    await writeFile(path.join(project, 'empty.txt'), '');
    await writeFile(path.join(project, 'binary.txt'), Buffer.from([0x00, 0x01, 0x02]));
    await copyFile(path.join(fixtures, 'import/english.txt'), path.join(project, 'english.txt'));
    const run = await runBroadsheet(['import', 'empty.txt', 'english.txt', 'missing.txt', 'binary.txt'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('empty.txt  BS102  the file is empty');
    expect(run.stderr).toContain('missing.txt  BS101');
    expect(run.stderr).toContain('binary.txt:1:1  BS103');
    expect(run.stderr).toContain('3 of 4 files could not be imported');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(path.join(project, 'content/mountain-schools-go-online.md'), 'utf8')).toContain('title: Mountain schools go online');
  });

  it('should name the file after the title in pinyin, the same name every time', async () => {
    const project = await makeProject({ content: false });
    const run = await runBroadsheet(['import', seedFile, '--out', 'content/2019'], project);
    expect(run.code).toBe(0);
    const name = 'meizhou-datong-jiceng-dang-zuzhi-kaizhan-zhuti-jiaoyu-zuihou.md';
    expect(run.stderr).toContain(`content/2019/${name}`);
    expect(await readdir(path.join(project, 'content/2019'))).toEqual([name]);
    // Forced again: the same name, nothing else written, nothing renamed.
    await writeFile(path.join(project, 'content/2019/kept.md'), 'by hand');
    expect((await runBroadsheet(['import', seedFile, '--out', 'content/2019', '--force'], project)).code).toBe(0);
    expect((await readdir(path.join(project, 'content/2019'))).sort()).toEqual(['kept.md', name]);
    expect(await readFile(path.join(project, 'content/2019/kept.md'), 'utf8')).toBe('by hand');
  });

  it('should not overwrite an existing content file unless forced, and name both files when it refuses', async () => {
    const project = await makeProject({ content: false });
    expect((await runBroadsheet(['import', seedFile], project)).code).toBe(0);
    const target = path.join(project, 'content/meizhou-datong-jiceng-dang-zuzhi-kaizhan-zhuti-jiaoyu-zuihou.md');
    await writeFile(target, 'edited by hand');
    const refused = await runBroadsheet(['import', seedFile], project);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`BS106  cannot import ${seedFile}: content/meizhou-datong-jiceng-dang-zuzhi-kaizhan-zhuti-jiaoyu-zuihou.md already exists`);
    expect(await readFile(target, 'utf8')).toBe('edited by hand');
    expect(await readdir(path.join(project, 'content'))).toEqual(['meizhou-datong-jiceng-dang-zuzhi-kaizhan-zhuti-jiaoyu-zuihou.md']);
    expect((await runBroadsheet(['import', seedFile, '--force'], project)).code).toBe(0);
    expect(await readFile(target, 'utf8')).toMatch(/^---\ntitle:/);
  });

  it('should say in one line where it guessed at the structure, and go ahead', async () => {
    const project = await makeProject({ content: false });
    await writeFile(path.join(project, 'festival.txt'), '记者节 梅州记者走基层\n本报记者 李明\n11月8日是第25个中国记者节，本报记者深入基层一线采访。\n');
    const run = await runBroadsheet(['import', 'festival.txt', '--json'], project);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ title: '梅州记者走基层', kicker: '记者节', byline: [{ role: '本报记者', name: '李明' }] });
    expect(run.stderr).toBe('festival.txt:1  BS107  warning: read "记者节 梅州记者走基层" as the headline (title "梅州记者走基层"), though it has the words of a byline; if it is one, put it on a line of its own\n');
    // The seed needs no guess.
    expect((await runBroadsheet(['import', seedFile, '--json'], project)).stderr).toBe('');
  });

  it('should print each byline form as its fixture expects', async () => {
    const project = await makeProject({ content: false });
    const names = (await readdir(path.join(fixtures, 'import'))).filter((name) => name.startsWith('byline-') && name.endsWith('.txt'));
    expect(names.length).toBeGreaterThanOrEqual(8);
    const run = await runBroadsheet(['import', ...names.map((name) => path.join(fixtures, 'import', name)), '--json'], project);
    expect(run.code).toBe(0);
    const expected = await Promise.all(names.map(async (name) => JSON.parse(await readFile(path.join(fixtures, 'import', name.replace(/\.txt$/, '.json')), 'utf8'))));
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  it('should import GB18030 and CRLF reports', async () => {
    const project = await makeProject({ content: false });
    const files = ['paren-headings.gb18030.txt', 'square-justified.txt'].map((name) => path.join(fixtures, 'import', name));
    const run = await runBroadsheet(['import', ...files, '--json'], project);
    expect(run.code).toBe(0);
    const reports = JSON.parse(run.stdout);
    expect(reports.map((report: { title: string }) => report.title)).toEqual(['平远县“一村一品”带旺乡村产业', '兴宁：小水电站变身“生态站”']);
  });
});
