import { createHash, type Hash } from 'node:crypto';

/** How long a digest is: 128 bits in hex. */
export const DIGEST_CHARACTERS = 32;

/**
 * The one digest broadsheet uses: the first 128 bits of SHA-256, in hex,
 * for page signatures, cache keys, entry checks and content hashes alike.
 * 128 bits keep any two of an archive's millions of pages, entries and
 * inputs apart with room to spare, at half the bytes of the whole digest:
 * the output record, which a one-shot edit reads and writes whole, holds
 * two or three per page (docs/performance.md). One part is hashed as it is,
 * so a text and its UTF-8 bytes have the same digest; several parts are
 * each prefixed with their length, so `('ab', 'c')` and `('a', 'bc')`
 * differ. Hex, not base64: digests name files, and some file systems
 * ignore case.
 */
export function digest(...parts: readonly (string | Uint8Array)[]): string {
  if (parts.length === 1) return hexOf(createHash('sha256').update(parts[0] as string | Uint8Array));
  return lengthPrefixedDigest(parts.map((part) => [part]));
}

/**
 * `digest(...parts)` of parts each given as chunks of UTF-8 bytes, hashed
 * where they lie: for parts cut out of a larger buffer without copying them.
 */
export function digestOfChunks(...parts: readonly (readonly Uint8Array[])[]): string {
  return lengthPrefixedDigest(parts);
}

/** The digest of several parts, each prefixed with its length in bytes; a part may come in chunks. */
function lengthPrefixedDigest(parts: readonly (readonly (string | Uint8Array)[])[]): string {
  const hash = createHash('sha256');
  for (const chunks of parts) {
    hash.update(`${chunks.reduce((total, chunk) => total + byteLength(chunk), 0)}:`);
    // A string is hashed as it is, not copied into a buffer first: the copy costs more than the hash.
    for (const chunk of chunks) hash.update(chunk);
  }
  return hexOf(hash);
}

function hexOf(hash: Hash): string {
  return hash.digest('hex').slice(0, DIGEST_CHARACTERS);
}

function byteLength(chunk: string | Uint8Array): number {
  return typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
}
