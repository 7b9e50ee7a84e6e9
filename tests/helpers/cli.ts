import { spawnSync } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cliBin, root } from './paths.js';
import { tempDir } from './temp.js';
import { runCli } from '../../src/cli.js';

/** What a CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The signal that ended the process, if one did. */
  readonly signal?: NodeJS.Signals | null;
}

// Commands that run until stopped, and so need a process of their own to stop.
const LONG_RUNNING = new Set(['watch', 'dev', 'serve']);

/**
 * Runs the `broadsheet` command line in `cwd`: the same `runCli` the bin
 * calls, in this process (starting Node and loading broadsheet costs more
 * than a small build), with what it prints captured. A command that runs
 * until stopped, or one given environment variables (read when broadsheet's
 * modules load), runs as a real process instead, as {@link spawnBroadsheet}.
 * Test files run in processes of their own (vitest's forks pool), one test
 * at a time, so the working folder may be changed for the command.
 */
export async function runBroadsheet(args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  if (Object.keys(env).length > 0 || LONG_RUNNING.has(args[0] ?? '')) return spawnBroadsheet(args, cwd, env);
  let stdout = '';
  let stderr = '';
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await runCli(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
    return { code, stdout, stderr, signal: null };
  } finally {
    process.chdir(previous);
  }
}

/** Runs the real `broadsheet` bin as a separate process in `cwd`; `env` adds to the environment. */
export function spawnBroadsheet(args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): CliRun {
  // A command that never returns (a watcher that should have stopped) fails its test instead of holding up the run.
  const result = spawnSync(process.execPath, [cliBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 300_000, killSignal: 'SIGKILL' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}

/**
 * A temporary project folder holding a copy of the shipped templates, config
 * and (optionally) content. The search index is off unless `search: true`:
 * indexing is most of a small build's work, and a watch session indexes
 * again in the background, so only the tests that look at search pay for it.
 */
export async function makeProject(options: { content?: boolean; search?: boolean } = {}): Promise<string> {
  const dir = await tempDir('broadsheet-test');
  await cp(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true });
  const config = await readFile(path.join(root, 'broadsheet.yaml'), 'utf8');
  await writeFile(path.join(dir, 'broadsheet.yaml'), options.search ? config : config.replace(/^search: true$/m, 'search: false'));
  await cp(path.join(root, 'gazetteer'), path.join(dir, 'gazetteer'), { recursive: true });
  if (options.content !== false) await cp(path.join(root, 'content'), path.join(dir, 'content'), { recursive: true });
  return dir;
}

/** The build options of a project made by {@link makeProject}. */
export function projectOptions(project: string): { contentDir: string; templatesDir: string; outDir: string; configFile: string } {
  return {
    contentDir: path.join(project, 'content'),
    templatesDir: path.join(project, 'templates'),
    outDir: path.join(project, 'dist'),
    configFile: path.join(project, 'broadsheet.yaml'),
  };
}
