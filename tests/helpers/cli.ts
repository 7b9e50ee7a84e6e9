import { spawnSync } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { cliBin, root } from './paths.js';
import { tempDir } from './temp.js';

/** What a CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The signal that ended the process, if one did. */
  readonly signal?: NodeJS.Signals | null;
}

/** Runs the real `broadsheet` bin as a separate process in `cwd`; `env` adds to the environment. */
export function runBroadsheet(args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): CliRun {
  // A command that never returns (a watcher that should have stopped) fails its test instead of holding up the run.
  const result = spawnSync(process.execPath, [cliBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 300_000, killSignal: 'SIGKILL' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}

/** A temporary project folder holding a copy of the shipped templates, config and (optionally) content. */
export async function makeProject(options: { content?: boolean } = {}): Promise<string> {
  const dir = await tempDir('broadsheet-test');
  await cp(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true });
  await cp(path.join(root, 'broadsheet.yaml'), path.join(dir, 'broadsheet.yaml'));
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
