import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { DIGEST_CHARACTERS, digest } from '../digest.js';
import type { ScriptTables, ScriptTableStore } from '../i18n/phrase-table.js';
import { VERSION } from '../version.js';
import { tagCacheFolder } from '../cache/store.js';

/**
 * Keeps the Traditional converters' tables in the cache folder
 * (`script-tables/`), in V8's serialisation with a SHA-256 of it in front:
 * reading them back takes a fraction of building them from OpenCC's
 * dictionaries (docs/performance.md), which every new process and every
 * worker thread did. A damaged or old file is rebuilt, never used; like any
 * cache write, a failed one only means the next run builds them again. A
 * variant's tables of an earlier opencc-js or broadsheet release are removed
 * when its new ones are kept: nothing would read them again.
 */
export function scriptTableStore(cacheDir: string): ScriptTableStore {
  const dir = path.join(path.resolve(cacheDir), 'script-tables');
  // The key names opencc-js's release, whose dictionaries the tables come from; the version, how broadsheet builds them.
  const fileOf = (key: string): string => path.join(dir, `${key}-${digest(VERSION).slice(0, 8)}.bin`);
  return {
    release: openccRelease(),
    load(key) {
      try {
        const bytes = readFileSync(fileOf(key));
        const body = bytes.subarray(DIGEST_CHARACTERS);
        if (bytes.subarray(0, DIGEST_CHARACTERS).toString('latin1') !== digest(body)) return undefined;
        return deserialize(body) as ScriptTables;
      } catch {
        return undefined;
      }
    },
    save(key, tables) {
      const file = fileOf(key);
      const temporary = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
      try {
        tagCacheFolder(path.resolve(cacheDir));
        mkdirSync(dir, { recursive: true });
        const body = serialize(tables);
        writeFileSync(temporary, Buffer.concat([Buffer.from(digest(body), 'latin1'), body]));
        renameSync(temporary, file);
        removeOtherReleases(dir, key, path.basename(file));
      } catch {
        rmSync(temporary, { force: true });
      }
    },
  };
}

/** Removes the variant's table files other than `kept`: those of other opencc-js or broadsheet releases. */
function removeOtherReleases(dir: string, key: string, kept: string): void {
  const variant = key.slice(0, key.lastIndexOf('-') + 1);
  if (!variant) return;
  for (const name of readdirSync(dir)) {
    // Another process's temporary file is its own to remove.
    if (name !== kept && name.startsWith(variant) && name.endsWith('.bin')) rmSync(path.join(dir, name), { force: true });
  }
}

/** The installed opencc-js as `opencc-js@<version>`, from the package.json above its preset; null when there is none. */
function openccRelease(): string | null {
  if (openccReleaseFound === undefined) {
    openccReleaseFound = null;
    for (let folder = path.dirname(fileURLToPath(import.meta.resolve('opencc-js/preset/cn2t'))); path.dirname(folder) !== folder; folder = path.dirname(folder)) {
      const manifest = readPackageManifest(path.join(folder, 'package.json'));
      if (manifest?.name === 'opencc-js' && manifest.version) {
        openccReleaseFound = `opencc-js@${manifest.version}`;
        break;
      }
    }
  }
  return openccReleaseFound;
}

// Looked up once per process or thread.
let openccReleaseFound: string | null | undefined;

function readPackageManifest(file: string): { readonly name?: string; readonly version?: string } | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
  } catch {
    return null;
  }
}
