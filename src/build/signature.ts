import { createHash } from 'node:crypto';
import type { PagePlan } from '../render/pages.js';

/** Everything outside a page's own data that its HTML depends on. */
export interface SignatureInputs {
  /** Hash of the page's template and every template it pulls in. */
  readonly templates: string;
  /** Hash of the page language's string catalogue. */
  readonly catalogue: string;
  /** Hash of the configuration and broadsheet's version. */
  readonly site: string;
}

/**
 * A hash that changes whenever the page's HTML could change. Articles stand
 * in by their fingerprint (their source text) instead of their full
 * contents, which keeps this cheap enough to compute for every page on
 * every rebuild.
 */
export function pageSignature(plan: PagePlan, inputs: SignatureInputs): string {
  const data = JSON.stringify(plan.data, compactArticles);
  const alternates = plan.alternates.map((alternate) => `${alternate.language.code}=${alternate.url ?? ''}`).join(' ');
  return createHash('sha1')
    .update(`${plan.url}\n${plan.template}\n${plan.language.code}\n${alternates}\n${inputs.templates}\n${inputs.catalogue}\n${inputs.site}\n`)
    .update(data)
    .digest('hex');
}

function compactArticles(this: unknown, _key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'fingerprint' in value && 'meta' in value) {
    return `article:${String((value as { fingerprint: string }).fingerprint)}`;
  }
  if (value !== null && typeof value === 'object' && 'article' in value && 'url' in value && 'reading' in value) {
    const entry = value as unknown as { url: string; article: { fingerprint: string }; derived: boolean };
    return `entry:${entry.url}:${entry.article.fingerprint}:${entry.derived}`;
  }
  return value;
}
