import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli.js';
import { progressLine } from '../../src/progress-line.js';
import { makeProject } from '../helpers/cli.js';
import { writeCorpus } from '../helpers/corpus.js';
import path from 'node:path';

/** A terminal that records what is drawn on it. */
function fakeTerminal(isTTY = true): { stream: NodeJS.WriteStream; drawn: string[] } {
  const drawn: string[] = [];
  const stream = { isTTY, write: (text: string) => drawn.push(text) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, drawn };
}

describe('progress of a long build', () => {
  it('should show each step on one line of a terminal, and clear it before the summary', async () => {
    const project = await makeProject({ search: true });
    writeCorpus(path.join(project, 'content/corpus'), { articles: 30, translations: true });
    const terminal = fakeTerminal();
    let stdout = '';
    const previous = process.cwd();
    process.chdir(project);
    // CI sets CI=true, which rightly turns the line off; this test stands for a person at a terminal.
    vi.stubEnv('CI', '');
    try {
      expect(await runCli(['build'], { stdout: (text) => void (stdout += text), stderr: () => undefined, terminal: terminal.stream })).toBe(0);
    } finally {
      vi.unstubAllEnvs();
      process.chdir(previous);
    }
    const text = terminal.drawn.join('');
    expect(text).toMatch(/\r\x1b\[2Kparsing \d+ of 62/);
    expect(text).toMatch(/\r\x1b\[2Kparsing 62 of 62/);
    expect(text).toMatch(/\r\x1b\[2Krendering \d[\d,]* of [\d,]+/);
    expect(text).toContain('\r\x1b[2Kindexing for search…');
    // Every drawing starts by going back over the line, and the last one clears it.
    expect(terminal.drawn.every((drawing) => drawing.startsWith('\r\x1b[2K'))).toBe(true);
    expect(terminal.drawn.at(-1)).toBe('\r\x1b[2K');
    expect(stdout).toMatch(/^built \d+ pages/);
  });

  it('should draw nothing in a pipe, a dumb terminal or CI', () => {
    expect(progressLine(fakeTerminal(false).stream, {})).toBeNull();
    expect(progressLine(fakeTerminal().stream, { TERM: 'dumb' })).toBeNull();
    expect(progressLine(fakeTerminal().stream, { CI: 'true' })).toBeNull();
    expect(progressLine(fakeTerminal().stream, {})).not.toBeNull();
  });
});
