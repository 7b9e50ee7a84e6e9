/**
 * The compiled module of a worker thread, `name` beside the module at
 * `from` (its `import.meta.url`). Under the test runner that module is the
 * TypeScript source, which a worker thread cannot load; the compiled copy
 * in lib/ is then used (`npm test` compiles first).
 */
export function workerFile(name: string, from: string): string {
  const here = new URL(name, from).href;
  if (!from.endsWith('.ts')) return here;
  return here.replace('/src/pipeline/', '/lib/pipeline/');
}
