import { digest } from '../../digest.js';
import type { PagePlan } from '../../model/page.js';
import { indexedTextDigest } from '../../search/indexed-text.js';

/**
 * What the output record keeps of a rendered page, wherever it rendered:
 * the digest of its bytes and, for an article page (the only kind indexed
 * for search), the digest of what the search index reads of it. `bytes`,
 * when given, are `contents` already encoded.
 */
export function pageDigests(plan: PagePlan, contents: string | Uint8Array, bytes?: Uint8Array): { readonly hash: string; readonly indexed: string | undefined } {
  const indexed = plan.kind === 'article' && typeof contents === 'string' ? indexedTextDigest(contents) : undefined;
  return { hash: digest(bytes ?? contents), indexed };
}
