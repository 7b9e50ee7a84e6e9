import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES } from '../../src/load/template-layers.js';
import type { PagePlan } from '../../src/model/page.js';
import renderInWorker from '../../src/pipeline/render-workers/worker.js';
import { RenderPool } from '../../src/pipeline/render-workers/pool.js';
import type { Templates } from '../../src/pipeline/state.js';
import { loadTemplates, readConfiguration } from '../../src/pipeline/steps/inputs.js';
import { root } from '../helpers/paths.js';

// What watch mode's render threads keep between builds: a plan sent once is then sent as its URL, and a
// plan that moves to another thread, is replaced or is let go must never be rendered from a stale copy.

let templates: Templates;
let pool: RenderPool;

/** The page-not-found page of the first edition, listing the first `listed` editions: one URL, a new plan each time. */
const notFoundPlan = (listed: number): PagePlan => {
  const config = templates.context.config;
  const language = config.languages[0];
  if (!language) throw new Error('no language configured');
  const editions = config.languages.slice(0, listed).map((edition) => ({ language: edition, url: `/${edition.path}/`, count: 1 }));
  return { kind: 'not-found', url: `/${language.path}/404.html`, template: '404.njk', language, alternates: [], data: { editions }, identity: [], rootRelative: true };
};

const renderIn = async (thread: number, plan: PagePlan): Promise<string> => {
  const [page] = await pool.render(thread, templates, [{ plan, previousHash: undefined }], { write: null, indexedText: true });
  if (!page || !('contents' in page) || typeof page.contents !== 'string') throw new Error(`not rendered: ${JSON.stringify(page)}`);
  return page.contents;
};

describe('render threads that keep plans', () => {
  beforeAll(async () => {
    const inputs = await readConfiguration(path.join(root, 'broadsheet.yaml'));
    if (!inputs.config) throw new Error('the shipped configuration did not load');
    templates = await loadTemplates({ templatesDir: BUILT_IN_TEMPLATES }, inputs.config, inputs.converters);
    pool = new RenderPool(2, { keepPlans: true });
  });
  afterAll(async () => {
    await pool.destroy();
  });

  it('should render a kept plan, a replaced one, a moved one and a let-go one as a plan sent whole', async () => {
    const first = notFoundPlan(3);
    const second = notFoundPlan(1);
    const once = await renderIn(0, first);
    expect(once).toContain('<html');
    expect(pool.holderOf(first)).toBe(0);
    // Sent as its URL now, and the same page.
    expect(await renderIn(0, first)).toBe(once);
    // A new plan for the URL replaces the kept one.
    const replaced = await renderIn(0, second);
    expect(replaced).not.toBe(once);
    expect(pool.holderOf(first)).toBeNull();
    // Moved to the other thread and back: the first thread dropped its copy when the plan moved.
    expect(await renderIn(1, second)).toBe(replaced);
    expect(pool.holderOf(second)).toBe(1);
    expect(await renderIn(0, first)).toBe(once);
    expect(await renderIn(1, second)).toBe(replaced);
    // Let go (the page left the site), then asked for again: sent whole.
    pool.forget([second.url]);
    expect(pool.holderOf(second)).toBeNull();
    expect(await renderIn(1, second)).toBe(replaced);
  });

  it('should answer that it does not keep a plan it was sent only the URL of', () => {
    const task = {
      templates: { generation: 1, layers: templates.layers, hashes: templates.set.hashes, catalogues: templates.context.catalogues, catalogueHashes: templates.catalogueHashes, stylesheet: templates.context.stylesheet },
      config: templates.context.config,
      plans: ['/nowhere/'],
      keep: [false],
      forget: [],
      forgetAll: false,
      previous: [undefined],
      write: null,
      indexedText: true,
    };
    expect(renderInWorker(task)).toEqual([{ missing: true }]);
  });
});
