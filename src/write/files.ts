import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../render/pages.js';

/**
 * Writes `files` under `root`, creating folders as needed. Synchronous on
 * purpose: output files are small, and a plain system call per file is
 * faster than a promise and several thread-pool round trips per file.
 */
export function writeAll(root: string, files: readonly OutputFile[]): void {
  const made = new Set<string>();
  for (const file of files) writeInto(root, file, made);
}

/** Writes one file under `root`; `made` remembers the folders already created, so each is made once. */
export function writeInto(root: string, file: OutputFile, made: Set<string>): void {
  const target = path.join(root, file.path);
  const folder = path.dirname(target);
  if (!made.has(folder)) {
    mkdirSync(folder, { recursive: true });
    made.add(folder);
  }
  writeFileSync(target, file.contents);
}

/** True while the process that owns a staging or patch folder still runs. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

