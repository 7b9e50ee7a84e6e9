import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers/paths.js';

// The import rules of docs/architecture.md, checked on the source itself, so that a change cannot
// quietly break them. Every import counts, type-only ones too: they tie the folders as much.

const src = path.join(root, 'src');

/** What each folder of src/ may import besides itself and the foundation. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  // The stages, in the order data flows through them. Each may use the helpers of a stage before it, never after.
  load: [],
  config: [],
  parse: [],
  structure: [],
  i18n: ['load'],
  render: ['load', 'structure', 'i18n'],
  search: [],
  write: [],
  cache: [],
  // The pipeline runs the stages.
  pipeline: ['load', 'config', 'parse', 'structure', 'i18n', 'render', 'search', 'write', 'cache'],
  // Around the pipeline: each through the pipeline's public entry only.
  watch: ['pipeline', 'write'],
  serve: [],
  dev: ['watch', 'serve'],
  import: [],
  project: ['load'],
  'progress-line': [],
  cli: ['pipeline', 'watch', 'dev', 'serve', 'import', 'project', 'cache', 'write', 'progress-line'],
};
/** Imported by anything: the data model, the one error type and its formatting, digests, text helpers, the version. */
const FOUNDATION = ['model', 'diagnostics', 'digest', 'text', 'version'];

interface Import {
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every relative import and export-from of the source files, dynamic `import()` included, as src-relative paths. */
function imports(): Import[] {
  const found: Import[] = [];
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'(\.[^']+)'/g)) {
      const target = path.resolve(path.dirname(file), match[1] ?? '').replace(/\.js$/, '.ts');
      found.push({ from: path.relative(src, file), to: path.relative(src, target) });
    }
  }
  return found;
}

/** The folder of src/ a file belongs to; a top-level file is a part of its own, named after it. */
const partOf = (file: string): string => (file.includes('/') ? (file.split('/')[0] ?? '') : file.replace(/\.ts$/, ''));

describe('the architecture', () => {
  const all = imports();

  it('should read the imports of the source (this check would pass on nothing)', () => {
    expect(all.length).toBeGreaterThan(200);
    expect(all).toContainEqual({ from: 'pipeline/builder.ts', to: 'pipeline/state.ts' });
  });

  it('should give every folder of src/ a place in the rules', () => {
    const parts = new Set(sourceFiles(src).map((file) => partOf(path.relative(src, file))));
    expect([...parts].filter((part) => !(part in ALLOWED) && !FOUNDATION.includes(part))).toEqual([]);
  });

  it('should import only along the documented directions', () => {
    const against = all.filter(({ from, to }) => {
      const [a, b] = [partOf(from), partOf(to)];
      return a !== b && !FOUNDATION.includes(b) && !(ALLOWED[a] ?? []).includes(b);
    });
    expect(against.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it('should keep the foundation free of the stages', () => {
    const foundationImports = all.filter(({ from, to }) => FOUNDATION.includes(partOf(from)) && !FOUNDATION.includes(partOf(to)));
    expect(foundationImports.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
    // The data model does no I/O: it imports nothing from Node.
    const model = sourceFiles(path.join(src, 'model')).filter((file) => /from 'node:/.test(readFileSync(file, 'utf8')));
    expect(model).toEqual([]);
  });

  it('should reach the pipeline from outside only through its public entry', () => {
    const inside = all.filter(({ from, to }) => partOf(from) !== 'pipeline' && partOf(to) === 'pipeline' && to !== 'pipeline/index.ts');
    expect(inside.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it('should have no import cycle between files', () => {
    const graph = new Map<string, string[]>();
    for (const { from, to } of all) graph.set(from, [...(graph.get(from) ?? []), to]);
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
