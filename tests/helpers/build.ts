import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { build, defaults } from '../../src/pipeline/index.js';
import type { BuildOptions, BuildReport } from '../../src/model/build.js';
import { expect } from 'vitest';
import { projectOptions, spawnBroadsheet, type CliRun } from './cli.js';
import { tempDir } from './temp.js';
import { hashTree } from './tree.js';

/**
 * Builds a project in this process exactly as `broadsheet build` run in it
 * would (the same folders, the same paths in messages and cache keys): for
 * tests that need a built site but do not test the command line, since
 * starting a process costs more than a small build. The test files run in
 * processes of their own (vitest's forks pool), one test at a time, so the
 * working folder may be changed for the build.
 */
export async function buildInProcess(project: string, options: Partial<BuildOptions> = {}): Promise<BuildReport> {
  const previous = process.cwd();
  process.chdir(project);
  try {
    return await build({ ...defaults, persist: true, ...options });
  } finally {
    process.chdir(previous);
  }
}

/** The output of a build from scratch of the same files, in a copy of the project, without any cache: to compare with. */
export async function freshTree(project: string, options: Partial<BuildOptions> = {}): Promise<Record<string, string>> {
  const copy = await tempDir('broadsheet-fresh');
  for (const item of ['content', 'templates', 'gazetteer', 'broadsheet.yaml']) await cp(path.join(project, item), path.join(copy, item), { recursive: true }).catch(() => undefined);
  await build({ ...projectOptions(copy), cacheDir: null, ...options });
  const tree = await hashTree(path.join(copy, 'dist'));
  await rm(copy, { recursive: true, force: true });
  return tree;
}

/** A one-shot `broadsheet build` in a process of its own, which must succeed quietly: for what one run leaves the next. */
export function spawnBuild(project: string, ...extra: string[]): CliRun {
  const run = spawnBroadsheet(['build', ...extra], project);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run;
}

/** The number of pages a `build --profile` says it rendered. */
export function renderedBy(run: CliRun): number {
  return Number(/^rendered (\d+) pages$/m.exec(run.stdout)?.[1]);
}
