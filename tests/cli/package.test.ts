import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, seedFile } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';

// A newsroom that is not this repository: the packed package, installed into an empty folder, starts an
// archive with `init`, imports a report, builds it and serves it with live reload, with its built-in templates.

function run(command: string, args: readonly string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NO_COLOR: '1', npm_config_fund: 'false', npm_config_audit: 'false' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the packed package in an empty folder', () => {
  it('should start, import, build and serve an archive with its own templates', async () => {
    const work = await tempDir('broadsheet-package');
    // lib/ is compiled by the test command; packing does not compile again.
    const packed = run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], root);
    expect(packed.code, packed.stderr).toBe(0);
    const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack wrote no tarball');
    const app = path.join(work, 'app');
    await mkdir(app);
    await writeFile(path.join(app, 'package.json'), '{ "name": "a-newsroom", "private": true }\n');
    const installed = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(work, tarball)], app);
    expect(installed.code, installed.stderr).toBe(0);
    const broadsheet = path.join(app, 'node_modules/.bin/broadsheet');
    const archive = path.join(app, 'archive');

    const init = run(broadsheet, ['init', 'archive'], app);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('next: cd archive && npx broadsheet dev');
    expect((await readdir(archive)).sort()).toEqual(['.gitignore', 'broadsheet.yaml', 'content', 'gazetteer']);

    const imported = run(broadsheet, ['import', seedFile, '--out', 'content/2020', '--slug', 'seed'], archive);
    expect(imported.code, imported.stderr).toBe(0);
    const built = run(broadsheet, ['build'], archive);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).toBe('');
    const page = await readFile(path.join(archive, 'dist/zh-hans/2020/seed/index.html'), 'utf8');
    expect(page).toContain('<h1 class="headline">梅州打通基层党组织开展主题教育“最后一公里”纪实</h1>');
    expect(page).toContain('抓载体创新');
    expect(await readFile(path.join(archive, 'dist/zh-hant/2020/seed/index.html'), 'utf8')).toContain('梅州打通基層黨組織');

    // dev serves the archive and reloads: the page answers, and the live-reload script is in it.
    const dev = spawn(broadsheet, ['dev', '--port', '0'], { cwd: archive, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        dev.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /serving \S+ at (http:\/\/\S+)/.exec(out);
          if (match?.[1] && out.includes('watching for changes')) resolve(match[1]);
        });
        dev.on('exit', (code) => reject(new Error(`dev exited with ${code}: ${out}`)));
      });
      const response = await fetch(new URL('zh-hans/2020/seed/', url));
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('/__broadsheet/reload.js');
    } finally {
      dev.kill('SIGTERM');
      await new Promise((resolve) => dev.on('exit', resolve));
    }
  }, 300_000);
});
