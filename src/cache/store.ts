import { digest } from '../digest.js';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { BroadsheetError } from '../diagnostics/error.js';
import path from 'node:path';

/** The folder broadsheet keeps its cache in, relative to the working folder. */
export const DEFAULT_CACHE_DIR = '.broadsheet-cache';

// Bumped whenever the layout of an entry changes, so old entries are simply never found.
const FORMAT = 'broadsheet-cache-4';

// The cache folder is tagged as one (https://bford.info/cachedir/): backup tools skip it, and
// `broadsheet clean` removes only a folder that carries the tag.
const TAG_FILE = 'CACHEDIR.TAG';
const TAG = 'Signature: 8a477f597d28d172789f06886806bc55\n# This folder is the cache of broadsheet, a static site generator; broadsheet clean removes it.\n';

/**
 * A content-addressed store of JSON values on disk. The key is a digest of
 * everything the value was computed from, so an entry is never stale: it is
 * either exactly right or not looked up at all.
 *
 * Safe against crashes and concurrent runs: an entry is written to a file of
 * its own and renamed into place, and carries a digest of its body, so a
 * truncated or damaged entry is detected, removed and treated as missing.
 */
export class CacheStore {
  readonly #dir: string;
  readonly #made = new Set<string>();

  constructor(dir: string) {
    this.#dir = path.resolve(dir);
    tagCacheFolder(this.#dir);
  }

  get dir(): string {
    return this.#dir;
  }

  /** The value stored under `key`, or undefined when there is none or it is damaged (a damaged entry is removed). */
  get<Value>(key: string): Value | undefined {
    const file = this.#fileOf(key);
    const value = readEntryFile<Value>(file);
    if (value === undefined) removeQuietly(file);
    return value;
  }

  /**
   * Stores `value` under `key`; true once the entry is on disk. A failure to
   * write is not an error: the value is computed again next time. `value` is
   * serialized before this returns, so the caller may change it right away.
   */
  async set(key: string, value: unknown): Promise<boolean> {
    const body = Buffer.from(JSON.stringify(value));
    const file = this.#fileOf(key);
    const folder = path.dirname(file);
    if (!this.#made.has(folder)) {
      // A folder that cannot be made fails the write below, which the cache reports as a miss next time.
      await mkdir(folder, { recursive: true }).catch(() => undefined);
      this.#made.add(folder);
    }
    return writeEntryBody(file, body).then(
      () => true,
      () => false,
    );
  }

  #fileOf(key: string): string {
    return path.join(this.#dir, key.slice(0, 2), `${key}.json`);
  }
}

/** Marks `dir` as broadsheet's cache folder (once: the tag is the same every time). */
export function tagCacheFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, TAG_FILE), TAG, { flag: 'wx' });
  } catch {
    // Already tagged, or a cache that cannot be written, which is only a slower one.
  }
}

/**
 * Before `broadsheet clean` removes a cache folder: it must be empty or carry
 * the cache tag every build writes, so that a mistyped `--cache-dir` never
 * takes the user's files with it.
 *
 * @throws {BroadsheetError} BS403 when it holds files and no tag.
 */
export function guardOwnedCache(dir: string, force = false): void {
  if (force) return;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  if (names.length === 0 || isTagged(dir)) return;
  const shown = names.sort().slice(0, 3).join(', ') + (names.length > 3 ? `, and ${names.length - 3} more` : '');
  throw new BroadsheetError('BS403', `the cache folder ${dir} holds files (${shown}) and is not tagged as broadsheet's cache`, {
    file: dir,
    hint: `Every build tags its cache folder with ${TAG_FILE}. Check --cache-dir, or pass --force to remove the folder anyway.`,
  });
}

function isTagged(dir: string): boolean {
  try {
    return readFileSync(path.join(dir, TAG_FILE), 'utf8').startsWith(TAG.split('\n')[0] ?? TAG);
  } catch {
    return false;
  }
}

/** Removes a damaged entry; a cache that cannot be changed is only a slower one. */
function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Left for the next run, or for `broadsheet clean`.
  }
}

/**
 * Reads an entry file (a cache entry, the output record): its value, or
 * undefined when the file is missing, truncated, altered or of another format.
 * Synchronous: entries are small, and one system call beats thread-pool round trips.
 */
export function readEntryFile<Value>(file: string): Value | undefined {
  try {
    return decodeEntryBytes<Value>(readFileSync(file));
  } catch {
    return undefined;
  }
}

/** Writes an entry file through a temporary file of its own and a rename: readers see the old entry or the new one. */
export async function writeEntryFile(file: string, value: unknown): Promise<void> {
  await writeEntryBody(file, Buffer.from(JSON.stringify(value)));
}

async function writeEntryBody(file: string, body: Buffer): Promise<void> {
  const temporary = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  try {
    // Header and body are written apart: the output record of a large archive is megabytes, and
    // joining them would copy it once more at the end of a build, where memory peaks.
    const handle = await open(temporary, 'w');
    try {
      await handle.write(entryHeader(body));
      await handle.write(body);
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** `FORMAT <sha256 of body>\n<body>` — the header proves the body complete and intact. */
export function encodeEntry(value: unknown): string {
  const body = JSON.stringify(value);
  return `${entryHeader(body)}${body}`;
}

function entryHeader(body: string | Uint8Array): string {
  return `${FORMAT} ${bodyDigest(body)}\n`;
}

export function decodeEntry<Value>(text: string): Value | undefined {
  return decodeEntryBytes(Buffer.from(text));
}

/**
 * {@link decodeEntry} over an entry file's bytes, as read: the body's check
 * hashes them rather than the decoded text encoded again (the cache's
 * outlines are megabytes of mostly Chinese text).
 */
function decodeEntryBytes<Value>(bytes: Buffer): Value | undefined {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return undefined;
  const [format, expected] = bytes.toString('latin1', 0, newline).split(' ');
  const body = bytes.subarray(newline + 1);
  if (format !== FORMAT || expected !== bodyDigest(body)) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as Value;
  } catch {
    return undefined;
  }
}

function bodyDigest(body: string | Uint8Array): string {
  return digest(body);
}
