import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runBroadsheet, type CliRun } from '../helpers/cli.js';
import { hashTree } from '../helpers/tree.js';

// Every kind of bad input a user can give, through the real CLI: each gets one
// line `file:line:col  code  message`, a hint, no stack trace, and exit 1.
// `broadsheet check` lists all of them in one run and writes nothing.

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const article = (front: string, body = '正文。\n'): Buffer => utf8(`---\n${front}\n---\n\n${body}`);

/** content-relative path → bytes, and the problem each must produce: [code, file:line:col prefix]. */
const badContent: readonly { name: string; file: string; bytes: Buffer; code: string; place: string }[] = [
  { name: 'a binary file', file: 'bad/binary.md', bytes: Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0x02, 0xff]), code: 'BS103', place: 'content/bad/binary.md' },
  {
    name: 'bytes that are not UTF-8 (Latin-1, and not GB18030 either)',
    file: 'bad/latin1.md',
    bytes: Buffer.concat([utf8('---\ntitle: Café\n---\n\nLe caf'), Buffer.from([0xe9, 0x0a])]),
    code: 'BS104',
    place: 'content/bad/latin1.md:5:7',
  },
  { name: 'an empty file', file: 'bad/empty.md', bytes: utf8('\n  \n'), code: 'BS102', place: 'content/bad/empty.md' },
  { name: 'a YAML syntax error', file: 'bad/yaml.md', bytes: article('title: [未闭合'), code: 'BS201', place: 'content/bad/yaml.md:' },
  { name: 'a missing title', file: 'bad/untitled.md', bytes: article('kicker: 引题'), code: 'BS202', place: 'content/bad/untitled.md' },
  { name: 'a field of the wrong type', file: 'bad/type.md', bytes: article('title: 类型\ntags: 7'), code: 'BS203', place: 'content/bad/type.md:3:7' },
  { name: 'an unknown field', file: 'bad/field.md', bytes: article('title: 字段\nauthr: 张柯'), code: 'BS204', place: 'content/bad/field.md:3:1' },
  { name: 'a date that does not exist', file: 'bad/date.md', bytes: article('title: 日期\ndate: 2019-02-30'), code: 'BS205', place: 'content/bad/date.md:3:7' },
  { name: 'an unknown language', file: 'bad/report.fr.md', bytes: article('title: Rapport'), code: 'BS206', place: 'content/bad/report.fr.md' },
  { name: 'a derived language written by hand', file: 'bad/report.zh-Hant.md', bytes: article('title: 報道'), code: 'BS206', place: 'content/bad/report.zh-Hant.md' },
  { name: 'a level-one heading in the body', file: 'bad/heading.md', bytes: article('title: 标题', '# 又一个标题\n\n正文。\n'), code: 'BS208', place: 'content/bad/heading.md:5:1' },
  { name: 'no front matter', file: 'bad/bare.md', bytes: utf8('只有正文。\n'), code: 'BS209', place: 'content/bad/bare.md:1:1' },
  { name: 'a translation without a source', file: 'bad/orphan.en.md', bytes: article('title: Orphan'), code: 'BS210', place: 'content/bad/orphan.en.md' },
  { name: 'a slug that climbs out', file: 'bad/climb.md', bytes: article('title: 越界\nslug: ../../etc'), code: 'BS203', place: 'content/bad/climb.md:3:7' },
  { name: 'a slug with a backslash', file: 'bad/back.md', bytes: article('title: 反斜杠\nslug: "a\\\\b"'), code: 'BS203', place: 'content/bad/back.md:3:7' },
  { name: 'a slug with a NUL', file: 'bad/nul.md', bytes: article('title: 空字符\nslug: "a\\0b"'), code: 'BS203', place: 'content/bad/nul.md:3:7' },
  { name: 'an absolute slug', file: 'bad/absolute.md', bytes: article('title: 绝对\nslug: /etc/passwd'), code: 'BS203', place: 'content/bad/absolute.md:3:7' },
  { name: 'a Windows device name as slug', file: 'bad/device.md', bytes: article('title: 设备\nslug: aux'), code: 'BS203', place: 'content/bad/device.md:3:7' },
  { name: 'a look-alike slug (Cyrillic а)', file: 'bad/lookalike.md', bytes: article('title: 形似\nslug: cаfe'), code: 'BS203', place: 'content/bad/lookalike.md:3:7' },
  { name: 'an over-long slug', file: 'bad/long.md', bytes: article(`title: 过长\nslug: ${'a'.repeat(81)}`), code: 'BS203', place: 'content/bad/long.md:3:7' },
  { name: 'a Windows device name as file name', file: 'bad/con.md', bytes: article('title: 设备文件'), code: 'BS212', place: 'content/bad/con.md' },
  { name: 'a look-alike file name', file: 'bad/nеws.md', bytes: article('title: 形似文件'), code: 'BS212', place: 'content/bad/nеws.md' },
  { name: 'a folder name with a space', file: 'bad/two words/report.md', bytes: article('title: 空格'), code: 'BS212', place: 'content/bad/two words/report.md' },
  { name: 'an upper-case file name', file: 'bad/Report.md', bytes: article('title: 大写'), code: 'BS212', place: 'content/bad/Report.md' },
  { name: 'two files writing one URL', file: 'bad/dup-b.md', bytes: article('title: 重复\nslug: dup-a'), code: 'BS207', place: 'content/bad/' },
];

async function writeContent(project: string, file: string, bytes: Buffer): Promise<void> {
  const target = path.join(project, 'content', file);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, bytes);
}

function expectCleanReport(run: CliRun): void {
  expect(run.code).toBe(1);
  expect(run.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
  expect(run.stderr).toContain('hint:');
}

describe('broadsheet check with every kind of bad content at once', () => {
  let project: string;
  let run: CliRun;

  beforeAll(async () => {
    project = await makeProject();
    await writeContent(project, 'bad/dup-a.md', article('title: 原本'));
    for (const item of badContent) await writeContent(project, item.file, item.bytes);
    run = await runBroadsheet(['check'], project);
  });

  it('should exit 1 with a clean report', () => expectCleanReport(run));

  it.each(badContent)('should report $name as $code at its place', ({ code, place }) => {
    const lines = run.stderr.split('\n').filter((line) => line.startsWith(place));
    expect(lines.some((line) => line.includes(`  ${code}  `))).toBe(true);
  });

  it('should list every problem, not only the first', () => {
    const count = Number(/(\d+) problems found/.exec(run.stderr)?.[1]);
    expect(count).toBeGreaterThanOrEqual(badContent.length);
  });

  it('should write nothing: no output, no staging folder, no cache, content untouched', async () => {
    expect(existsSync(path.join(project, 'dist'))).toBe(false);
    expect(existsSync(path.join(project, '.broadsheet-cache'))).toBe(false);
    expect((await readdir(project)).filter((name) => name.startsWith('dist'))).toEqual([]);
    for (const item of badContent) expect(await readFile(path.join(project, 'content', item.file))).toEqual(item.bytes);
  });

  it('should exit 0 once the bad files are gone', async () => {
    await rm(path.join(project, 'content/bad'), { recursive: true });
    const clean = await runBroadsheet(['check'], project);
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
  });
});

/** Template problems, each in a project of its own: [name, template file, edit, code, expected place]. */
const badTemplates: readonly [string, string, (text: string) => string, string, RegExp][] = [
  ['an include of a missing template', 'templates/article.njk', (text) => text.replace('{% include "partials/toc.njk" %}', '{% include "partials/nowhere.njk" %}'), 'BS301', /templates\/article\.njk(:\d+:\d+)?  BS301 .*partials\/nowhere\.njk/],
  ['a syntax error', 'templates/partials/byline.njk', (text) => `${text}\n{% for %}\n`, 'BS302', /templates\/partials\/byline\.njk:\d+:\d+  BS302/],
  ['an unknown filter', 'templates/partials/byline.njk', (text) => `${text}\n{{ article.meta.title | shout }}\n`, 'BS30', /templates\/partials\/byline\.njk:\d+:\d+  BS30[23] .*shout/],
  ['a runtime error', 'templates/partials/toc.njk', (text) => `${text}\n{{ article.meta.title.nothing.deeper() }}\n`, 'BS303', /templates\/partials\/toc\.njk:\d+:\d+  BS303/],
  ['a missing catalogue key', 'templates/partials/toc.njk', (text) => `${text}\n{{ t("toc.missing-key") }}\n`, 'BS305', /templates\/partials\/toc\.njk:\d+:\d+  BS305 .*toc\.missing-key/],
  ['a broken catalogue', 'templates/i18n/en.yaml', (text) => `${text}\n: : [\n`, 'BS304', /templates\/i18n\/en\.yaml:\d+(:\d+)?  BS304/],
];

describe.each(badTemplates)('broadsheet check with %s', (_name, file, edit, code, place) => {
  let project: string;
  let run: CliRun;
  let before: Record<string, string>;

  beforeAll(async () => {
    project = await makeProject();
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    before = await hashTree(path.join(project, 'dist'));
    const target = path.join(project, file);
    await writeFile(target, edit(await readFile(target, 'utf8')));
    run = await runBroadsheet(['check'], project);
  });

  it(`should name the template file and line with ${code}`, () => {
    expectCleanReport(run);
    expect(run.stderr).toMatch(place);
  });

  it('should fail the build the same way and leave the last good site as it was', async () => {
    const failed = await runBroadsheet(['build'], project);
    expectCleanReport(failed);
    expect(failed.stderr).toMatch(place);
    expect(await hashTree(path.join(project, 'dist'))).toEqual(before);
  });
});
