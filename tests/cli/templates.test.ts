import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBroadsheet } from '../helpers/cli.js';
import { root } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';

// A project needs no templates of its own: the built-in ones are used, and a file of the project's overrides
// the built-in file of the same name, one by one. `eject` copies built-in files to change them.

/** A project with the shipped configuration and content, and no templates folder. */
async function bareProject(): Promise<string> {
  const dir = await tempDir('broadsheet-templates');
  for (const name of ['broadsheet.yaml', 'content', 'gazetteer']) await cp(path.join(root, name), path.join(dir, name), { recursive: true });
  return dir;
}

describe('built-in templates', () => {
  it('should build a project without a templates folder exactly as with a copy of the built-in one', async () => {
    const dir = await bareProject();
    const built = await runBroadsheet(['build', '--no-cache'], dir);
    expect(built.code, built.stderr).toBe(0);
    await cp(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const copied = await runBroadsheet(['build', '--no-cache', '--out', 'copied'], dir);
    expect(copied.code, copied.stderr).toBe(0);
    for (const page of ['zh-hans/2019/meizhou-last-mile/index.html', 'en/index.html', 'assets/style.css']) {
      expect(await readFile(path.join(dir, 'dist', page), 'utf8'), page).toBe(await readFile(path.join(dir, 'copied', page), 'utf8'));
    }
  });

  it('should take a project template, catalogue or asset over the built-in one of its name, file by file', async () => {
    const dir = await bareProject();
    const ejected = await runBroadsheet(['eject', 'partials/byline.njk', 'i18n/en.yaml', 'assets/style.css'], dir);
    expect(ejected.code, ejected.stderr).toBe(0);
    expect(ejected.stdout).toBe('copied 3 files into templates/: partials/byline.njk, i18n/en.yaml, assets/style.css\n');
    expect(existsSync(path.join(dir, 'templates/article.njk'))).toBe(false);
    await writeFile(path.join(dir, 'templates/partials/byline.njk'), '<p class="byline">OUR OWN BYLINE</p>\n');
    const catalogue = path.join(dir, 'templates/i18n/en.yaml');
    await writeFile(catalogue, (await readFile(catalogue, 'utf8')).replace(/^(\s*)related: .*$/m, '$1related: OUR OWN RELATED'));
    await writeFile(path.join(dir, 'templates/assets/style.css'), 'body { color: rebeccapurple }\n');
    const built = await runBroadsheet(['build'], dir);
    expect(built.code, built.stderr).toBe(0);
    const chinese = await readFile(path.join(dir, 'dist/zh-hans/2019/meizhou-last-mile/index.html'), 'utf8');
    expect(chinese).toContain('OUR OWN BYLINE');
    // The rest of the page, and every other template, is the built-in one.
    expect(chinese).toContain('<article class="article" data-pagefind-body>');
    expect(await readFile(path.join(dir, 'dist/en/2019/meizhou-last-mile/index.html'), 'utf8')).toContain('<h2 id="related-heading">OUR OWN RELATED</h2>');
    expect(await readFile(path.join(dir, 'dist/assets/style.css'), 'utf8')).toBe('body { color: rebeccapurple }\n');
    expect(existsSync(path.join(dir, 'dist/assets/favicon.svg'))).toBe(true);
    // Removing the project's file brings the built-in one back.
    await writeFile(path.join(dir, 'templates/partials/byline.njk'), await readFile(path.join(root, 'templates/partials/byline.njk'), 'utf8'));
    expect((await runBroadsheet(['build'], dir)).code).toBe(0);
    expect(await readFile(path.join(dir, 'dist/zh-hans/2019/meizhou-last-mile/index.html'), 'utf8')).not.toContain('OUR OWN BYLINE');
  });

  it('should never overwrite a project template without --force, and name the built-in ones when asked for another', async () => {
    const dir = await bareProject();
    await mkdir(path.join(dir, 'templates'));
    await writeFile(path.join(dir, 'templates/article.njk'), 'mine');
    const refused = await runBroadsheet(['eject'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^templates {2}BS503 {2}templates already has article\.njk$/m);
    expect(await readFile(path.join(dir, 'templates/article.njk'), 'utf8')).toBe('mine');
    const unknown = await runBroadsheet(['eject', 'nope.njk'], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no built-in template is called nope.njk');
    expect(unknown.stderr).toContain('article.njk');
    expect((await runBroadsheet(['eject', '--force'], dir)).code).toBe(0);
    expect(await readFile(path.join(dir, 'templates/article.njk'), 'utf8')).toBe(await readFile(path.join(root, 'templates/article.njk'), 'utf8'));
  });

  it('should start an archive with init, and refuse to start one over another', async () => {
    const dir = await tempDir('broadsheet-init');
    const started = await runBroadsheet(['init', 'news', '--templates'], dir);
    expect(started.code, started.stderr).toBe(0);
    const news = path.join(dir, 'news');
    expect(await readFile(path.join(news, '.gitignore'), 'utf8')).toMatch(/^dist\/$/m);
    expect(existsSync(path.join(news, 'templates/article.njk'))).toBe(true);
    expect((await runBroadsheet(['build'], news)).code).toBe(0);
    const again = await runBroadsheet(['init', 'news'], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^news {2}BS503 {2}news already has broadsheet\.yaml, content, gazetteer, \.gitignore$/m);
  });
});
