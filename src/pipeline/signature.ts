import { digest } from '../digest.js';
import { alternatesKey } from '../render/pages.js';
import type { PagePlan } from '../model/page.js';
import { isCard } from '../structure/card.js';

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
 * What a page's HTML depends on in its own plan, as a digest. Articles
 * stand in by their fingerprint (a hash of their source text) and cards of
 * other articles by their face (see structure/card.ts) instead of their full
 * contents, which keeps this cheap enough to compute for every page on
 * every rebuild. The key is hashed: kept whole, the keys of a large archive
 * cost more memory and record-file space than the articles' text (1.6 kB a
 * page, 60 MB for 4,000 reports), and hashing one takes microseconds.
 */
export function planDigest(plan: PagePlan): string {
  const switcher = plan.switcher ? alternatesKey(plan.switcher) : '';
  return digest(`${plan.url}\n${plan.template}\n${plan.language.code}\n${alternatesKey(plan.alternates)}\n${switcher}\n${JSON.stringify(plan.data, compactArticles)}`);
}

/**
 * A key that changes whenever the page's HTML could change: its plan's
 * digest with everything outside the plan. Made of the two, it is worked out
 * again after a template edit from the digest the page's record keeps,
 * without walking every plan's data.
 */
export function pageSignature(planKey: string, inputs: SignatureInputs): string {
  return digest(`${planKey}\n${inputs.templates}\n${inputs.catalogue}\n${inputs.site}`);
}

function isArticle(value: object): value is { fingerprint: string } {
  return 'fingerprint' in value && 'meta' in value;
}

function isEntry(value: object): value is { url: string; article: { fingerprint: string }; derived: boolean } {
  return 'article' in value && 'url' in value && 'reading' in value;
}

function compactArticles(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (isCard(value)) return `card:${value.face}`;
  if (isArticle(value)) return `article:${value.fingerprint}`;
  if (isEntry(value)) return `entry:${value.url}:${value.article.fingerprint}:${value.derived}`;
  return value;
}

/**
 * True when two plans of the same URL are built from the same things:
 * articles, archive entries and cards compared by identity (an unchanged article
 * keeps its objects across rebuilds), everything else by value. Then the
 * previous signature still holds and need not be computed again.
 */
export function samePlan(a: PagePlan, b: PagePlan): boolean {
  return (
    a.url === b.url &&
    a.template === b.template &&
    a.language === b.language &&
    sameValue(a.alternates, b.alternates) &&
    sameValue(a.switcher, b.switcher) &&
    sameValue(a.data, b.data)
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  if (Array.isArray(b) || isCard(a) || isArticle(a) || isEntry(a)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  );
}
