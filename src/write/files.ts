import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../model/page.js';
import { isMissing } from '../text/absent.js';
import { utf8Scratch } from '../text/utf8.js';

/**
 * Writes `files` under `root`, creating folders as needed. Synchronous on
 * purpose: output files are small, and a plain system call per file is
 * faster than a promise and several thread-pool round trips per file.
 */
export function writeAll(root: string, files: readonly OutputFile[]): void {
  for (const file of files) writeInto(root, file);
}

/**
 * Writes one file under `root`. Its folder is made only when the write
 * finds it missing: remembering the folders made instead would hold one
 * path per page (nearly every page has a folder of its own), megabytes for
 * a large archive.
 */
export function writeInto(root: string, file: OutputFile): void {
  const target = path.join(root, file.path);
  const bytes = typeof file.contents === 'string' ? utf8Scratch(file.contents) : file.contents;
  try {
    writeFileSync(target, bytes);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
}

/**
 * {@link writeInto} through libuv's thread pool: the system calls run off
 * the main thread, on another core while the main thread renders.
 */
export async function writeIntoLater(root: string, file: OutputFile): Promise<void> {
  const target = path.join(root, file.path);
  try {
    await writeFile(target, file.contents);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.contents);
  }
}

/** The bytes of a file under `root`, or null when it is missing (a page removed since; see text/absent.ts). */
export function readOutputFile(root: string, file: string): Buffer | null {
  try {
    return readFileSync(path.join(root, file));
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
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

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
