import { toBroadsheetErrors, type BroadsheetError } from '../../diagnostics/error.js';
import { digest } from '../../digest.js';
import type { BuildProgress } from '../../model/build.js';
import type { OutputFile, PagePlan } from '../../model/page.js';
import { renderPage } from '../../render/pages.js';
import { indexedTextDigest } from '../../search/indexed-text.js';
import type { OutputSink } from '../../write/sink.js';
import { pageSignature, samePlan } from '../signature.js';
import type { OutputRecord, OutputState, Templates } from '../state.js';

/** What rendering the candidate pages produced. */
export interface RenderOutcome {
  /** URLs of the pages rendered (their signature changed). */
  readonly rendered: string[];
  /** The new record of each page rendered or re-planned. */
  readonly updates: Map<string, OutputRecord>;
  /** URLs of the article pages whose indexed text changed, for the search index. */
  readonly changedArticles: string[];
  /** Paths of the files handed to the sink. */
  readonly written: string[];
  readonly errors: BroadsheetError[];
  signingMs: number;
}

// How long rendering may keep the event loop to itself while another process (Pagefind) waits for its next batch of pages.
const TURN_MS = 10;

/**
 * Renders the candidates whose signature changed and hands the sink each
 * page whose bytes changed; the rest are passed by (by identity when their
 * plan object is the one rendered last time). Nothing is rendered twice and
 * nothing unchanged is written.
 */
export async function renderPages(
  candidates: readonly PagePlan[],
  templates: Templates,
  siteHash: string,
  output: OutputState | null,
  sink: OutputSink,
  onProgress?: BuildProgress,
): Promise<RenderOutcome> {
  const outcome: RenderOutcome = { rendered: [], updates: new Map(), changedArticles: [], written: [], errors: [], signingMs: 0 };
  const reusable = output !== null && templates === output.signedWith;
  let lastTurn = performance.now();
  for (const [index, plan] of candidates.entries()) {
    onProgress?.('render', index + 1, candidates.length);
    const signStart = performance.now();
    const previous = output?.pages.get(plan.url);
    if (previous && previous.plan === plan && reusable) continue;
    const unchangedPlan = previous?.plan && reusable && (previous.plan === plan || samePlan(previous.plan, plan));
    const signature = unchangedPlan ? previous.signature : signatureOf(plan, templates, siteHash);
    outcome.signingMs += performance.now() - signStart;
    if (previous && previous.signature === signature) {
      if (previous.plan !== plan) outcome.updates.set(plan.url, { ...previous, plan });
      continue;
    }
    try {
      const file = renderPage(plan, templates.context);
      const hash = digest(file.contents);
      // Only article pages are indexed for search; a page whose bytes did not change kept its indexed text too.
      const indexed = plan.kind !== 'article' ? undefined : previous?.hash === hash ? previous.indexed : indexedTextDigest(file.contents as string);
      outcome.rendered.push(plan.url);
      outcome.updates.set(plan.url, { plan, signature, hash, indexed });
      if (previous?.hash !== hash) put(outcome, sink, file, plan, previous?.indexed !== indexed);
    } catch (error) {
      outcome.errors.push(...toBroadsheetErrors(error));
    }
    // Rendering is synchronous; another process's replies are read only when the event loop turns.
    if (sink.waiting && performance.now() - lastTurn > TURN_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastTurn = performance.now();
    }
  }
  return outcome;
}

/** Hands a changed page to the sink; `reindex` when its indexed text changed too (a layout edit changes bytes, not that). */
function put(outcome: RenderOutcome, sink: OutputSink, file: OutputFile, plan: PagePlan, reindex: boolean): void {
  outcome.written.push(file.path);
  const article = plan.kind === 'article' && reindex;
  if (article) outcome.changedArticles.push(plan.url);
  // After an error nothing more is indexed early: the build will not be written.
  sink.put(file, article && outcome.errors.length === 0 ? plan.url : undefined);
}

function signatureOf(plan: PagePlan, templates: Templates, siteHash: string): string {
  return pageSignature(plan, {
    templates: templates.set.closureHash(plan.template),
    catalogue: templates.catalogueHashes.get(plan.language.code) ?? '',
    site: siteHash,
  });
}
