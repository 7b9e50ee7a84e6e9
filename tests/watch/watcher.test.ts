import { openSync, closeSync, readFileSync, writeSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeSet } from '../../src/model/build.js';
import { watchSite, type SiteWatcher } from '../../src/watch/watcher.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

describe('watchSite', () => {
  let watcher: SiteWatcher | null = null;

  afterEach(async () => {
    await watcher?.close();
    watcher = null;
  });

  async function watchedSite(): Promise<{ targets: { contentDir: string; templatesDir: string; configFile: string }; file: string }> {
    const root = await tempDir('broadsheet-watcher');
    const targets = { contentDir: path.join(root, 'content'), templatesDir: path.join(root, 'templates'), configFile: path.join(root, 'broadsheet.yaml') };
    await mkdir(targets.contentDir, { recursive: true });
    await mkdir(targets.templatesDir, { recursive: true });
    const file = path.join(targets.contentDir, 'report.md');
    await writeFile(file, '---\ntitle: 旧\n---\n\n旧的正文。\n');
    return { targets, file };
  }

  it('should report a save again when its text lands after the rebuild read the truncated file', async () => {
    const { targets, file } = await watchedSite();
    const finished = '---\ntitle: 新\n---\n\n新的正文。\n';
    // What the rebuild would have read at each hand-over.
    const seen: string[] = [];
    let warmedUp = false;
    let fd: number | null = null;
    watcher = watchSite(targets, (changes: ChangeSet) => {
      if (!changes.content?.includes(file)) return;
      if (!warmedUp) {
        warmedUp = true;
        return;
      }
      seen.push(readFileSync(file, 'utf8'));
      // The saving editor finishes its write just after the rebuild read the empty file:
      // chokidar drops that change, coming within 50 ms of the truncation's.
      if (fd !== null) {
        writeSync(fd, finished);
        closeSync(fd);
        fd = null;
      }
    });
    await watcher.ready;
    // First a plain save, to know the file is watched (chokidar sets up its watch a moment after
    // reporting ready), then a pause past chokidar's 50 ms window for changes to one file.
    // (chokidar also overlooks a save whose time stamp equals the last one it saw, as one within
    // the kernel's clock tick does: save again until one is reported.)
    for (let save = 1; !warmedUp; save++) {
      if (save > 20) throw new Error('no plain save was reported');
      await writeFile(file, `---\ntitle: 旧\n---\n\n旧的正文，第 ${save} 次改过。\n`);
      await waitFor(() => warmedUp, 250).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
    fd = openSync(file, 'w');
    await waitFor(() => seen.at(-1) === finished, 5_000, 'the finished save to be reported').catch((error: unknown) => {
      throw new Error(`${String(error)}; the rebuilds read ${JSON.stringify(seen)}`);
    });
    expect(seen[0]).toBe('');
  });

  it('should hand over a save caught between its truncation and its text once the text is there', async () => {
    const { targets, file } = await watchedSite();
    const seen: string[] = [];
    watcher = watchSite(targets, (changes: ChangeSet) => {
      if (changes.content?.includes(file)) seen.push(readFileSync(file, 'utf8'));
    });
    await watcher.ready;
    // Known watched first, as above.
    for (let save = 1; seen.length === 0; save++) {
      if (save > 20) throw new Error('no plain save was reported');
      await writeFile(file, `---\ntitle: 旧\n---\n\n旧的正文，第 ${save} 次改过。\n`);
      await waitFor(() => seen.length > 0, 250).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
    seen.length = 0;
    const finished = '---\ntitle: 新\n---\n\n新的正文。\n';
    // An editor that truncates, then writes its text 30 ms later: the empty file is never built.
    const fd = openSync(file, 'w');
    await new Promise((resolve) => setTimeout(resolve, 30));
    writeSync(fd, finished);
    closeSync(fd);
    await waitFor(() => seen.at(-1) === finished, 5_000, 'the finished save to be reported');
    expect(seen).not.toContain('');
  });
});
