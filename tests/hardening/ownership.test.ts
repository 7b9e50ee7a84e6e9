import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, runBroadsheet } from '../helpers/cli.js';

// broadsheet replaces or removes only a folder it marked as its own, holding only the files it wrote.

describe('the output folder broadsheet owns', () => {
  it('should never remove or replace a folder it did not write, unless forced', async () => {
    const project = await makeProject({ search: true });
    // The probe's folder: an index.html, which once passed for a built site, beside the user's thesis.
    const victim = path.join(project, 'v');
    await mkdir(path.join(victim, 'src'), { recursive: true });
    await writeFile(path.join(victim, 'index.html'), 'x');
    await writeFile(path.join(victim, 'src/thesis.md'), 'precious');
    for (const argv of [['clean', '--out', 'v'], ['build', '--out', 'v'], ['build', '--out', 'v', '--no-cache']]) {
      const run = await runBroadsheet(argv, project);
      expect(run.code, argv.join(' ')).toBe(1);
      expect(run.stderr).toMatch(/^v {2}BS403 {2}the output folder v holds files broadsheet did not write \(index\.html, src\/thesis\.md\), and no \.broadsheet-output marker/m);
      expect(await readFile(path.join(victim, 'src/thesis.md'), 'utf8')).toBe('precious');
    }
    const forced = await runBroadsheet(['build', '--out', 'v', '--force'], project);
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(path.join(victim, 'src/thesis.md'))).toBe(false);
  });

  it('should list every file it writes in its marker, and refuse a full rebuild or clean while others are there', async () => {
    const project = await makeProject({ search: true });
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    const dist = path.join(project, 'dist');
    const marker = (await readFile(path.join(dist, '.broadsheet-output'), 'utf8')).split('\n').slice(1).filter(Boolean);
    expect(marker).toEqual([...marker].sort());
    const files = (await readdir(dist, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => path.relative(dist, path.join(entry.parentPath, entry.name)));
    const folders = marker.filter((entry) => entry.endsWith('/'));
    expect(folders).toEqual(['en/pagefind/', 'zh-hans/pagefind/', 'zh-hant/pagefind/']);
    for (const file of files) expect(marker.includes(file) || folders.some((folder) => file.startsWith(folder)), file).toBe(true);
    expect(marker.filter((entry) => !entry.endsWith('/')).sort()).toEqual(files.filter((file) => !folders.some((folder) => file.startsWith(folder))).sort());

    await writeFile(path.join(dist, 'CNAME'), 'news.example.org');
    await writeFile(path.join(dist, '.DS_Store'), 'finder');
    // An incremental build touches only its own files.
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    for (const argv of [['build', '--no-cache'], ['clean', '--out', 'dist']]) {
      const run = await runBroadsheet(argv, project);
      expect(run.code, argv.join(' ')).toBe(1);
      expect(run.stderr).toMatch(/^dist {2}BS403 {2}the output folder dist holds files broadsheet did not write: CNAME$/m);
      expect(await readFile(path.join(dist, 'CNAME'), 'utf8')).toBe('news.example.org');
    }
    expect((await runBroadsheet(['build', '--no-cache', '--force'], project)).code).toBe(0);
    expect(existsSync(path.join(dist, 'CNAME'))).toBe(false);
    expect((await runBroadsheet(['clean', '--out', 'dist'], project)).code).toBe(0);
    expect(existsSync(dist)).toBe(false);
  });

  it('should remove only a cache folder tagged as its own', async () => {
    const project = await makeProject({ search: true });
    await mkdir(path.join(project, 'notes'));
    await writeFile(path.join(project, 'notes/todo.txt'), 'keep me');
    const refused = await runBroadsheet(['clean', '--cache-dir', 'notes'], project);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^notes {2}BS403 {2}the cache folder notes holds files \(todo\.txt\) and is not tagged as broadsheet's cache/m);
    expect(await readFile(path.join(project, 'notes/todo.txt'), 'utf8')).toBe('keep me');
    expect((await runBroadsheet(['build'], project)).code).toBe(0);
    expect(await readFile(path.join(project, '.broadsheet-cache/CACHEDIR.TAG'), 'utf8')).toMatch(/^Signature: 8a477f597d28d172789f06886806bc55\n/);
    expect((await runBroadsheet(['clean'], project)).code).toBe(0);
    expect(existsSync(path.join(project, '.broadsheet-cache'))).toBe(false);
  });
});
