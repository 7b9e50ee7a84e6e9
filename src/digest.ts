import { createHash } from 'node:crypto';

/**
 * The one digest broadsheet uses: SHA-256 in hex, for page signatures,
 * cache keys, entry checks and content hashes alike. One part is hashed as
 * it is, so a text and its UTF-8 bytes have the same digest; several parts
 * are each prefixed with their length, so `('ab', 'c')` and `('a', 'bc')`
 * differ. Hex, not base64: digests name files, and some file systems
 * ignore case.
 */
export function digest(...parts: readonly (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  if (parts.length === 1) hash.update(parts[0] as string | Uint8Array);
  else {
    for (const part of parts) {
      const bytes = typeof part === 'string' ? Buffer.from(part) : part;
      hash.update(`${bytes.byteLength}:`).update(bytes);
    }
  }
  return hash.digest('hex');
}
