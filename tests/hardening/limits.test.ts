import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDevSession, type DevSession } from '../../src/dev.js';
import { makeProject, projectOptions, runBroadsheet } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

// No input may make a build take minutes or hang: every file is parsed under a time budget and a size
// limit. The probe's two shapes: interleaved emphasis (34 s for 2,000 repeats, still running after 300 s for
// 20,000) and a list nested on one line (137 s).

const front = (title: string): string => `---\ntitle: ${title}\ndate: 2019-07-01\n---\n\n正文第一段。\n\n`;
const interleaved = (repeats: number): string => `${'*a _'.repeat(repeats)}x${'_ a*'.repeat(repeats)}\n`;

async function project(files: Record<string, string>, limits = ''): Promise<string> {
  const dir = await makeProject({ content: false, search: false });
  await mkdir(path.join(dir, 'content/2019'), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, 'content/2019', name), text);
  if (limits) await writeFile(path.join(dir, 'broadsheet.yaml'), `${await readFile(path.join(dir, 'broadsheet.yaml'), 'utf8')}\nlimits:\n${limits}`);
  return dir;
}

describe('the work one file may cause', () => {
  it('should stop a file that makes the parser go quadratic, at its line, and go on with the others', async () => {
    const dir = await project({
      'slow.md': `${front('慢')}${interleaved(20_000)}`,
      'nested.md': `${front('深')}${'- '.repeat(10_000)}x\n`,
      'fine.md': `${front('好')}第二段。\n`,
      'wrong.md': '---\ntitle: 错\ndate: 2019-02-30\n---\n\n正文。\n',
    });
    for (const command of ['check', 'build']) {
      const started = Date.now();
      const run = await runBroadsheet([command], dir);
      const seconds = (Date.now() - started) / 1000;
      expect(run.code, run.stderr).toBe(1);
      // The budget is 2 s (plus 2 s per MB); without it this file ran for over five minutes.
      expect(seconds).toBeLessThan(120);
      expect(run.stderr).toMatch(/^content\/2019\/slow\.md:8:1 {2}BS217 {2}content\/2019\/slow\.md took more than 2\.\d s to read; it stopped in the block of emphasis markers/m);
      expect(run.stderr).toMatch(/^content\/2019\/nested\.md:8:1 {2}BS208 /m);
      // The other files were read in the same run: their problems are listed too.
      expect(run.stderr).toMatch(/^content\/2019\/wrong\.md:3:7 {2}BS205 /m);
      expect(run.stderr).toContain('3 problems found');
    }
  }, 300_000);

  it('should give the time budget from the configuration', async () => {
    const dir = await project({ 'slow.md': `${front('慢')}${interleaved(2_000)}` }, '  parseSeconds: 0.2\n');
    const run = await runBroadsheet(['check'], dir);
    expect(run.stderr).toMatch(/BS217 {2}content\/2019\/slow\.md took more than 0\.2 s to read/);
  }, 120_000);

  it('should warn about a large file and refuse a larger one before reading it', async () => {
    const paragraph = `${'梅州市创新载体、分类施策、精准发力。'.repeat(40)}\n\n`;
    const dir = await project(
      { 'large.md': `${front('大')}${paragraph.repeat(12)}`, 'huge.md': `${front('巨')}${paragraph.repeat(40)}` },
      '  warnKilobytes: 16\n  maxKilobytes: 64\n',
    );
    const refused = await runBroadsheet(['build'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^content\/2019\/huge\.md {2}BS216 {2}content\/2019\/huge\.md is \d+ KB, more than the 64 KB a content file may have/m);
    await writeFile(path.join(dir, 'content/2019/huge.md'), `${front('巨')}正文。\n`);
    const built = await runBroadsheet(['build'], dir);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toContain('1 warning');
    const checked = await runBroadsheet(['check'], dir);
    expect(checked.stderr).toMatch(/^content\/2019\/large\.md {2}BS215 {2}warning: content\/2019\/large\.md is \d+ KB, more than the 16 KB/m);
  }, 120_000);

  it('should warn about a date in the future, at its line, and build', async () => {
    const dir = await project({ 'fine.md': `${front('好')}`, 'future.md': '---\ntitle: 未来\ndate: 2999-12-31\n---\n\n正文。\n' });
    const built = await runBroadsheet(['build'], dir);
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('1 warning (run broadsheet check)');
    const checked = await runBroadsheet(['check'], dir);
    expect(checked.stderr).toMatch(/^content\/2019\/future\.md:3:7 {2}BS218 {2}warning: the date 2999-12-31 is in the future/m);
  });

  it('should refuse an empty configuration and limits that contradict each other, each at its line', async () => {
    const dir = await project({ 'fine.md': `${front('好')}` });
    await writeFile(path.join(dir, 'broadsheet.yaml'), '\n');
    expect((await runBroadsheet(['build'], dir)).stderr).toMatch(/^broadsheet\.yaml:1:1 {2}BS501 {2}the configuration broadsheet\.yaml is empty/m);
    await writeFile(path.join(dir, 'broadsheet.yaml'), 'limits:\n  warnKilobytes: 100\n  maxKilobytes: 10\n');
    expect((await runBroadsheet(['build'], dir)).stderr).toMatch(/^broadsheet\.yaml:2:18 {2}BS501 {2}warnKilobytes \(100\) is above maxKilobytes \(10\)/m);
  });

  describe('in dev', () => {
    let session: DevSession | null = null;
    afterEach(async () => {
      await session?.close();
      session = null;
    });

    it('should keep serving pages while a heavy file is parsed', async () => {
      // A budget of seconds, for which the worker is busy: the server must answer meanwhile.
      const dir = await project({ 'fine.md': `${front('好')}第二段。\n` }, '  parseSeconds: 4\n');
      const lines: string[] = [];
      const problems: string[] = [];
      session = await startDevSession({ ...projectOptions(dir), serve: { port: 0 }, log: (line) => lines.push(line), logError: (text) => problems.push(text) });
      const server = session.server;
      if (!server) throw new Error('dev should serve');
      const page = new URL('zh-hans/2019/fine/', server.url).href;
      expect((await fetch(page)).status).toBe(200);
      await writeFile(path.join(dir, 'content/2019/slow.md'), `${front('慢')}${interleaved(20_000)}`);
      const latencies: number[] = [];
      const failed = (): boolean => lines.some((line) => line.includes('build failed'));
      while (!failed() && latencies.length < 400) {
        const started = performance.now();
        expect((await fetch(page)).status).toBe(200);
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await waitFor(failed, 60_000, 'the failed rebuild');
      expect(problems.join('\n')).toContain('BS217');
      // A blocked main thread would have answered nothing for 4 s and more.
      expect(latencies.length).toBeGreaterThanOrEqual(20);
      expect(Math.max(...latencies)).toBeLessThan(3_000);
    }, 120_000);
  });
});
