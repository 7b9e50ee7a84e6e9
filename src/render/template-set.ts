import { digest } from '../digest.js';
import { readFile } from 'node:fs/promises';
import { layeredFiles, type TemplateLayers } from '../load/template-layers.js';
import { isTemplate } from './templates.js';

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
  /** Hash of each template's own text, by name. */
  readonly hashes: ReadonlyMap<string, string>;
}

/** Reads every `.njk` file of the template layers (each name from the layer that wins) and its references to other templates. */
export async function readTemplateSet(layers: TemplateLayers): Promise<TemplateSet> {
  const hashes = new Map<string, string>();
  const references = new Map<string, string[]>();
  for (const [name, file] of await layeredFiles(layers, '', isTemplate)) {
    const text = await readFile(file, 'utf8');
    hashes.set(name, digest(text));
    references.set(name, [...text.matchAll(REFERENCE)].map((match) => match[2] ?? ''));
  }
  const closures = new Map<string, string>();
  return {
    names: [...hashes.keys()].sort(),
    hashes,
    closureHash(name) {
      let cached = closures.get(name);
      if (cached === undefined) {
        const seen = collectClosure(name, references);
        cached = digest(...[...seen].sort().flatMap((member) => [member, hashes.get(member) ?? 'missing']));
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
