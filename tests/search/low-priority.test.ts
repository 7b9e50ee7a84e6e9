import childProcess, { spawn } from 'node:child_process';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { startingAtLowPriority } from '../../src/search/low-priority.js';

describe('starting a process at low priority', () => {
  it.skipIf(process.platform === 'win32')('lowers the processes started during the call, and only those', async () => {
    const before = childProcess.spawn;
    const lowered = startingAtLowPriority(() => childProcess.spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)']));
    const normal = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)']);
    try {
      expect(getPriority(lowered.pid)).toBe(19);
      expect(getPriority(normal.pid)).toBe(getPriority());
      expect(childProcess.spawn).toBe(before);
    } finally {
      lowered.kill();
      normal.kill();
    }
  });

  it('gives back what the call returns, and puts spawn back when it throws', () => {
    const before = childProcess.spawn;
    expect(startingAtLowPriority(() => 42)).toBe(42);
    expect(() =>
      startingAtLowPriority(() => {
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(childProcess.spawn).toBe(before);
  });
});
