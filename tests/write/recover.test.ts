import { mkdtempSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverOutput } from '../../src/write/recover.js';

// What every command clears from an output folder before it touches it: what killed processes left.
// A build killed during its patch or swap is covered through the real CLI in tests/hardening/kills.test.ts,
// and watch mode's set-aside folders in set-aside.test.ts.

describe('recovery of the output folder', () => {
  it("should remove the search bundles a killed session was writing inside the output, and keep a live one's", async () => {
    const dist = path.join(mkdtempSync(path.join(tmpdir(), 'broadsheet-recover-')), 'dist');
    const bundles = path.join(dist, 'zh-hans/pagefind');
    // 4194305 is above Linux's largest process id: no process has it.
    for (const name of ['2019', '2019.next-4194305', '2018.old-4194305', `2017.next-${process.pid}`]) await mkdir(path.join(bundles, name), { recursive: true });
    await recoverOutput(dist);
    expect((await readdir(bundles)).sort()).toEqual(['2017.next-' + process.pid, '2019'].sort());
  });
});
