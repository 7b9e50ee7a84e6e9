import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Builder } from '../../src/pipeline/builder.js';
import { startWatching } from '../../src/watch/index.js';
import { makeProject } from '../helpers/cli.js';
import { writeCorpus } from '../helpers/corpus.js';
import { hashTree } from '../helpers/tree.js';
import { waitFor } from '../helpers/wait.js';

// Enough operations that saves land during every phase of a rebuild, many times over.
const OPERATIONS = 400;

describe('the watcher under a storm of edits', () => {
  it('should survive 400 rapid saves, deletes and renames and end with the output of a fresh build', async () => {
    const project = await makeProject({ search: false });
    const content = path.join(project, 'content');
    writeCorpus(content, { articles: 20, translations: true });
    const options = {
      contentDir: content,
      templatesDir: path.join(project, 'templates'),
      outDir: path.join(project, 'dist'),
      configFile: path.join(project, 'broadsheet.yaml'),
    };
    const lines: string[] = [];
    const session = await startWatching({ ...options, log: (line) => lines.push(line), logError: () => undefined });
    const sources = (await readdir(content, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && /a0000\d\d\.md$/.test(entry.name))
      .map((entry) => path.join(entry.parentPath, entry.name));
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
    const started = Date.now();
    for (let step = 0; step < OPERATIONS; step++) {
      const file = sources[Math.floor(random() * sources.length)] ?? '';
      const roll = random();
      if (roll < 0.8) {
        await writeFile(file, `${await readFile(file, 'utf8').catch(() => '---\ntitle: 复原\n---\n\n正文。\n')}\n第 ${step} 次保存。\n`);
      } else if (roll < 0.9) {
        const extra = path.join(content, 'storm', `s${step % 25}.md`);
        await mkdir(path.dirname(extra), { recursive: true });
        await writeFile(extra, `---\ntitle: 风暴 ${step}\ndate: 2021-05-0${1 + (step % 9)}\n---\n\n第 ${step} 篇。\n`);
      } else if (roll < 0.95) {
        const extra = path.join(content, 'storm', `s${step % 25}.md`);
        await rm(extra, { force: true });
      } else {
        const extra = path.join(content, 'storm', `s${step % 25}.md`);
        await rename(extra, path.join(content, 'storm', `s${(step + 7) % 25}.md`)).catch(() => undefined);
      }
    }
    const stormSeconds = (Date.now() - started) / 1000;
    // Let the watcher catch up: wait until no rebuild has happened for a second.
    let lastCount = -1;
    await waitFor(async () => {
      await session.idle();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const count = lines.length;
      const settled = count === lastCount;
      lastCount = count;
      return settled;
    }, 60_000, 'the watcher to settle');
    await session.close();
    const fresh = path.join(project, 'fresh');
    const report = await new Builder({ ...options, outDir: fresh }).build();
    expect(report.errors).toEqual([]);
    const pagefindless = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([file]) => !/(^|\/)pagefind\//.test(file)));
    // The search index is rebuilt in the background in watch mode; the pages must match exactly.
    expect(pagefindless(await hashTree(options.outDir))).toEqual(pagefindless(await hashTree(fresh)));
    // How long the storm took depends on the machine (the watcher rebuilds in this same process); reported, not asserted.
    console.log(`[storm] ${OPERATIONS} operations in ${stormSeconds.toFixed(1)} s; output equals a fresh build`);
    expect(lines.filter((line) => line.includes('rebuilt')).length).toBeGreaterThan(0);
  }, 180_000);
});
