import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with how many tests were skipped and why: tests that need a
 * system tool this machine does not have say so in their skip note (see
 * tools.ts), and each note is printed once with its count.
 */
export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const notes = new Map<string, number>();
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped') continue;
        const note = result.note ?? 'skipped in the test file';
        notes.set(note, (notes.get(note) ?? 0) + 1);
      }
    }
    const total = [...notes.values()].reduce((sum, count) => sum + count, 0);
    if (total === 0) return;
    const lines = [...notes].map(([note, count]) => `  ${count} ${note}`);
    process.stdout.write(`\n${total} test${total === 1 ? '' : 's'} skipped:\n${lines.join('\n')}\n`);
  }
}
