import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

// `{% extends "x" %}`, `{% include 'x' %}`, `{% import "x" as y %}`, `{% from "x" import y %}`.
const REFERENCE = /\{%-?\s*(?:extends|include|import|from)\s+(["'])([^"']+)\1/g;

/**
 * The templates of a site, each with a hash of its text and the templates it
 * pulls in. A page's template "version" is the hash of everything it pulls
 * in, so editing a partial changes exactly the pages that include it.
 */
export interface TemplateSet {
  /** Hash of a template and every template it extends, includes or imports, transitively. */
  closureHash(name: string): string;
  /** Names of the templates in the folder (`partials/toc.njk`). */
  readonly names: readonly string[];
}

/** Reads every `.njk` file of the templates folder and its references to other templates. */
export async function readTemplateSet(templatesDir: string): Promise<TemplateSet> {
  const entries = await readdir(templatesDir, { recursive: true, withFileTypes: true }).catch(() => []);
  const hashes = new Map<string, string>();
  const references = new Map<string, string[]>();
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.njk')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const name = path.relative(templatesDir, file).split(path.sep).join('/');
    const text = await readFile(file, 'utf8');
    hashes.set(name, createHash('sha1').update(text).digest('hex'));
    references.set(name, [...text.matchAll(REFERENCE)].map((match) => match[2] ?? ''));
  }
  const closures = new Map<string, string>();
  return {
    names: [...hashes.keys()].sort(),
    closureHash(name) {
      let cached = closures.get(name);
      if (cached === undefined) {
        const seen = collectClosure(name, references);
        const hash = createHash('sha1');
        for (const member of [...seen].sort()) hash.update(`${member}:${hashes.get(member) ?? 'missing'}\n`);
        cached = hash.digest('hex');
        closures.set(name, cached);
      }
      return cached;
    },
  };
}

function collectClosure(name: string, references: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [name];
  for (let current = stack.pop(); current !== undefined; current = stack.pop()) {
    if (seen.has(current)) continue;
    seen.add(current);
    stack.push(...(references.get(current) ?? []));
  }
  return seen;
}
