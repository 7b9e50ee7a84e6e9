import type { SourceFile } from '../../src/model/article.js';

/** A content file as the loader would give it: its path, key and language, its text and size. */
export function sourceFile(fields: Omit<SourceFile, 'bytes'>): SourceFile {
  return { ...fields, bytes: Buffer.byteLength(fields.text) };
}
