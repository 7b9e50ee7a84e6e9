import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/model/config.js';
import { buildBundles, BundleWriter } from '../../src/search/pagefind.js';
import type { ShardPages } from '../../src/search/shards.js';
import { tempDir } from '../helpers/temp.js';

// Pagefind's service works on one request at a time, so a build indexes its
// shards through one service process per core. These tests watch the
// processes themselves (Linux's /proc) while Pagefind reads the pages.

const zhHans: Language = { code: 'zh-Hans', path: 'zh-hans', name: '简体中文', locale: 'zh-Hans', derive: null };

const page = (title: string): string =>
  `<!doctype html><html lang="zh-Hans"><head><title>${title}</title></head><body><main data-pagefind-body><h1>${title}</h1><p>${title}：石窟河边的客家围龙屋。</p></main></body></html>`;

/** Two shards of `pagesEach` pages, as the `read` callback will be asked for them. */
function twoShards(pagesEach = 3): ShardPages[] {
  return ['2018', '2019'].map((folder) => ({
    shard: { id: `zh-hans/${folder}`, language: zhHans, bundleUrl: `/zh-hans/pagefind/${folder}/` },
    pages: Array.from({ length: pagesEach }, (_, n) => `zh-hans/${folder}/report-${n + 1}/index.html`),
  }));
}

/** The Pagefind processes this test process has started and not yet ended. */
function pagefindChildren(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // `pid (comm) state ppid …`; comm may hold spaces, so read after its closing parenthesis.
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === process.pid && comm.startsWith('pagefind') ? [Number(pid)] : [];
      } catch {
        return []; // The process ended while being looked at.
      }
    });
}

/** Indexes two shards with `concurrency` services; the most Pagefind processes seen at once, and the bundles' folder. */
async function indexTwoShards(concurrency: number): Promise<{ mostAtOnce: number; out: string }> {
  const out = await tempDir('broadsheet-pagefind');
  // Services of an earlier call may not have been reaped yet on a busy machine: only new ones count.
  const earlier = new Set(pagefindChildren());
  let mostAtOnce = 0;
  const writer = new BundleWriter(
    (pagePath) => {
      mostAtOnce = Math.max(mostAtOnce, pagefindChildren().filter((pid) => !earlier.has(pid)).length);
      return page(pagePath);
    },
    (shard) => path.join(out, ...shard.bundleUrl.split('/').filter(Boolean)),
    { concurrency },
  );
  for (const shard of twoShards()) writer.add(shard);
  await writer.finish();
  return { mostAtOnce, out };
}

describe.runIf(existsSync('/proc/self/stat'))('Pagefind services', () => {
  it('should index shards through one Pagefind process each, as many at once as asked', async () => {
    const { mostAtOnce, out } = await indexTwoShards(2);
    expect(mostAtOnce).toBe(2);
    for (const folder of ['2018', '2019']) expect(existsSync(path.join(out, 'zh-hans/pagefind', folder, 'pagefind-entry.json'))).toBe(true);
  });

  it('should keep to one process when asked for one, and end every process it started', async () => {
    const { mostAtOnce } = await indexTwoShards(1);
    expect(mostAtOnce).toBe(1);
    // close() kills the services; give the kernel a moment to reap them.
    for (let tries = 0; tries < 50 && pagefindChildren().length > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pagefindChildren()).toEqual([]);
  });

  it('should start no shard while held, and leave the ones not started for later', async () => {
    const out = await tempDir('broadsheet-pagefind');
    const read: string[] = [];
    const built = await buildBundles(twoShards(), (pagePath) => (read.push(pagePath), page(pagePath)), (shard) => path.join(out, ...shard.bundleUrl.split('/').filter(Boolean)), { concurrency: 1, hold: () => true });
    expect(built).toEqual([]);
    expect(read).toEqual([]);
    expect(readdirSync(out)).toEqual([]);
  });

  it('should pause a shard under way while held, and finish it and the next once the hold lifts', async () => {
    const out = await tempDir('broadsheet-pagefind');
    const bundle = path.join(out, 'zh-hans/pagefind/2018/pagefind-entry.json');
    // The hold comes on with the first page read (a rebuild arrived while the index ran) and lifts a moment later.
    let held = false;
    let readWhileHeld = 0;
    let bundleWhileHeld = true;
    const lifted = new Promise<void>((resolve) => {
      setTimeout(() => {
        bundleWhileHeld = existsSync(bundle);
        held = false;
        resolve();
      }, 1500);
    });
    const built = await buildBundles(
      twoShards(100),
      (pagePath) => {
        if (readWhileHeld === 0) held = true;
        if (held) readWhileHeld++;
        return page(pagePath);
      },
      (shard) => path.join(out, ...shard.bundleUrl.split('/').filter(Boolean)),
      { concurrency: 1, hold: () => held },
    );
    await lifted;
    // One batch was sent before the hold; the rest of the shard waited, and nothing was written.
    expect(readWhileHeld).toBeGreaterThan(0);
    expect(readWhileHeld).toBeLessThan(100);
    expect(bundleWhileHeld).toBe(false);
    expect(built.map((shard) => shard.id)).toEqual(['zh-hans/2018', 'zh-hans/2019']);
    expect(existsSync(bundle)).toBe(true);
  });

  it('should give up a shard under way at once when its signal aborts, even if Pagefind no longer answers, and leave nothing', async () => {
    const out = await tempDir('broadsheet-pagefind');
    const earlier = new Set(pagefindChildren());
    const closing = new AbortController();
    const stopped: number[] = [];
    const run = buildBundles(
      twoShards(100),
      (pagePath) => {
        if (!closing.signal.aborted) {
          // As when Ctrl-C stops Pagefind's process with the session: it will never answer the batch being sent.
          stopped.push(...pagefindChildren().filter((child) => !earlier.has(child)));
          for (const pid of stopped) process.kill(pid, 'SIGSTOP');
          closing.abort();
        }
        return page(pagePath);
      },
      (shard) => path.join(out, ...shard.bundleUrl.split('/').filter(Boolean)),
      { concurrency: 1, signal: closing.signal },
    );
    await expect(run).rejects.toThrow(/abort/i).finally(() => stopped.forEach((pid) => process.kill(pid, 'SIGKILL')));
    expect(stopped.length).toBeGreaterThan(0);
    expect(readdirSync(out)).toEqual([]);
  });

  it('should make the same bundle whichever service indexed it', async () => {
    const [together, alone] = [await indexTwoShards(2), await indexTwoShards(1)];
    const entry = (out: string, folder: string): string => readFileSync(path.join(out, 'zh-hans/pagefind', folder, 'pagefind-entry.json'), 'utf8');
    for (const folder of ['2018', '2019']) expect(entry(together.out, folder)).toBe(entry(alone.out, folder));
  });
});
