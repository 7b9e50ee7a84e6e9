import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, runBroadsheet } from '../helpers/cli.js';

// Every address the build writes is in one registry: an article cannot take the place of a generated page,
// land inside a search bundle or sit where another page needs a folder; each clash names both, at its line.

const article = (title: string, extra = ''): string => `---\ntitle: ${title}\ndate: 2019-07-01\n${extra}---\n\n${title}的正文。\n`;

async function project(files: Record<string, string>): Promise<string> {
  const dir = await makeProject({ content: false, search: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, 'content', name)), { recursive: true });
    await writeFile(path.join(dir, 'content', name), text);
  }
  return dir;
}

describe('addresses', () => {
  it('should refuse an article on a generated page, in a search bundle, or on another page’s parallel view, naming both', async () => {
    const dir = await project({
      '2019/a.md': article('甲'),
      '2019/a.en.md': '---\ntitle: A\ndate: 2019-07-01\n---\n\nThe text.\n',
      '2019/a/parallel.md': article('并列'),
      'archive/2019.md': article('档案'),
      'pagefind/x.md': article('搜索', 'slug: "2019"\n'),
    });
    for (const command of ['build', 'check']) {
      const run = await runBroadsheet([command], dir);
      expect(run.code).toBe(1);
      const clashes = run.stderr.split('\n').filter((line) => line.includes('BS207'));
      expect(clashes).toEqual([
        'content/2019/a/parallel.md:1:1  BS207  content/2019/a/parallel.md (/zh-hans/2019/a/parallel/) and the parallel view of content/2019/a.md (/zh-hans/2019/a/parallel/) both write zh-hans/2019/a/parallel/index.html',
        'content/archive/2019.md:1:1  BS207  content/archive/2019.md (/zh-hans/archive/2019/) and the listing /zh-hans/archive/2019/ both write zh-hans/archive/2019/index.html',
        'content/pagefind/x.md:4:7  BS207  content/pagefind/x.md (/zh-hans/pagefind/2019/) and the search bundles of 简体中文 both write zh-hans/pagefind/2019/index.html',
      ]);
      expect(existsSync(path.join(dir, 'dist'))).toBe(false);
    }
  });

  it('should place a clash of two articles at the slug that causes it', async () => {
    const dir = await project({ '2019/a.md': article('甲'), '2019/b.md': article('乙', 'kicker: 引题\nslug: a\n') });
    const run = await runBroadsheet(['build'], dir);
    expect(run.stderr).toMatch(/^content\/2019\/b\.md:5:7 {2}BS207 {2}content\/2019\/b\.md and content\/2019\/a\.md both write \/zh-hans\/2019\/a\//m);
  });

  it('should place a NUL byte at its line and column', async () => {
    const dir = await project({ '2019/a.md': '---\ntitle: 甲\n---\n\n正文\u0000。\n' });
    expect((await runBroadsheet(['build'], dir)).stderr).toMatch(/^content\/2019\/a\.md:5:3 {2}BS103 /m);
  });

  it.each(['assets', 'sitemaps'])('should refuse an edition published at /%s/, where broadsheet writes its own files', async (folder) => {
    const dir = await project({ '2019/a.md': article('甲') });
    const config = path.join(dir, 'broadsheet.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace(/^    path: en$/m, `    path: ${folder}`));
    const run = await runBroadsheet(['build'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^broadsheet\\.yaml:\\d+:\\d+ {2}BS501 {2}the URL path "${folder}" is broadsheet's own /${folder}/ folder`, 'm'));
  });
});
