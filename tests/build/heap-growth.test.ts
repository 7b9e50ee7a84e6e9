import { describe, expect, it } from 'vitest';
import { limitHeapGrowth, relaxHeapGrowth } from '../../src/build/heap-growth.js';

describe('limitHeapGrowth', () => {
  it.each([
    ['with dashes', ['--max-old-space-size=8192', '--heap-growing-percent=50']],
    ['with underscores', ['--heap_growing_percent=50']],
    ['as 0, which is V8\'s own choice', ['--heap-growing-percent=0']],
  ])("should leave the user's own growth limit alone, given %s", (_how, execArgv) => {
    expect(limitHeapGrowth(execArgv)).toBe(false);
  });

  it('should set the limit when the user gave none, whatever other flags they gave', () => {
    expect(limitHeapGrowth(['--max-old-space-size=8192', '--heap-growing-percentage-is-not-a-flag', '--enable-source-maps'])).toBe(true);
  });

  it('should give the growth back to V8 only once, and only when it was capped by broadsheet', () => {
    limitHeapGrowth(['--heap-growing-percent=50']);
    limitHeapGrowth([]);
    expect(relaxHeapGrowth()).toBe(true);
    expect(relaxHeapGrowth()).toBe(false);
  });
});
