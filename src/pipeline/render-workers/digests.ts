import { digest } from '../../digest.js';
import type { PagePlan } from '../../model/page.js';
import { indexedTextDigest } from '../../search/indexed-text.js';

/**
 * What the output record keeps of a rendered page, wherever it rendered:
 * the digest of its bytes and, for an article page (the only kind indexed
 * for search), the digest of what the search index reads of it, unless
 * `indexedText` is false (watch mode works that out after the rebuild, see
 * SearchState.checkIndexedText). `bytes` are the page's UTF-8 encoding, read
 * only during the call.
 */
export function pageDigests(plan: PagePlan, bytes: Uint8Array, indexedText: boolean): { readonly hash: string; readonly indexed: string | undefined } {
  return { hash: digest(bytes), indexed: indexedText && plan.kind === 'article' ? indexedTextDigest(bytes) : undefined };
}
