import { BroadsheetError } from '../diagnostics/error.js';
import { notPlainText, toPlainText } from './plain-text.js';

/** The encodings the importer recognises, in the order it tries them. */
export type TextEncoding = 'utf-8' | 'gb18030';

/** Decoded text and the encoding it was found in. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncoding;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Turns the bytes of a plain-text report into a string. Chinese newsroom
 * exports are UTF-8 or GB18030/GBK; valid UTF-8 is almost never valid by
 * accident for Chinese GBK text, so strict UTF-8 first, then strict GB18030,
 * tells them apart without a flag.
 *
 * @throws {BroadsheetError} BS102 when empty, BS103 for binary data, BS104 when neither decoder accepts the bytes.
 */
export function decodeReport(bytes: Uint8Array, file: string): DecodedText {
  const hasBom = UTF8_BOM.every((byte, index) => bytes[index] === byte);
  const body = hasBom ? bytes.subarray(UTF8_BOM.length) : bytes;
  if (body.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d)) {
    throw new BroadsheetError('BS102', 'the file is empty', { file });
  }
  if (body.includes(0)) {
    throw new BroadsheetError('BS103', 'the file contains NUL bytes, so it is not a text file', { file, ...placeOfByte(body, body.indexOf(0)) });
  }
  const utf8 = tryDecode('utf-8', body);
  if (utf8 !== undefined) return { text: toPlainText(utf8), encoding: 'utf-8' };
  const gb = hasBom ? undefined : tryDecode('gb18030', body);
  if (gb !== undefined && !hasControlCharacters(gb)) return { text: toPlainText(gb), encoding: 'gb18030' };
  throw new BroadsheetError('BS104', 'the bytes are neither UTF-8 nor GB18030 text', {
    file,
    ...firstInvalidUtf8(body),
  });
}

/**
 * Turns the bytes of a content file into a string. Content files are
 * written by people and by `broadsheet import`, always in UTF-8 (a BOM is
 * allowed); anything else is reported rather than guessed at.
 *
 * @throws {BroadsheetError} BS102 when empty, BS103 for binary data, BS104 for bytes that are not UTF-8.
 */
export function decodeContent(bytes: Uint8Array, file: string): string {
  const hasBom = UTF8_BOM.every((byte, index) => bytes[index] === byte);
  const body = hasBom ? bytes.subarray(UTF8_BOM.length) : bytes;
  if (body.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d)) {
    throw new BroadsheetError('BS102', 'the file is empty', { file, hint: 'Delete the file, or give it front matter and text.' });
  }
  if (body.includes(0)) throw new BroadsheetError('BS103', 'the file contains NUL bytes, so it is not a text file', { file, ...placeOfByte(body, body.indexOf(0)) });
  const text = tryDecode('utf-8', body);
  if (text !== undefined) {
    checkPlainText(text, file);
    return text;
  }
  throw new BroadsheetError('BS104', 'the file is not valid UTF-8', {
    file,
    ...firstInvalidUtf8(body),
    hint: 'Content files are UTF-8. Convert a GB18030 report with `broadsheet import`, or re-save the file as UTF-8.',
  });
}

function tryDecode(encoding: TextEncoding, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * @throws {BroadsheetError} BS103 at the first character that plain text may not hold.
 */
function checkPlainText(text: string, file: string): void {
  const found = notPlainText(text);
  if (!found) return;
  const before = text.slice(0, found.index);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  throw new BroadsheetError('BS103', `the file contains the control character ${found.code}, which no page or feed can carry`, {
    file,
    line,
    column,
    hint: 'Delete it: text copied from PDFs and word processors often carries form feeds (U+000C) and other invisible characters.',
  });
}

// GB18030 maps every byte sequence to something, so random binary data
// "decodes"; C0 control characters other than tab and line breaks give it away.
function hasControlCharacters(text: string): boolean {
  return /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
}

/** The line and column of the byte at `offset`, columns counted in the characters before it on its line. */
function placeOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) ((line += 1), (lineStart = i + 1));
  return { line, column: [...new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset))].length + 1 };
}

/** The line and column of the first byte that is not valid UTF-8, for the error message. */
function firstInvalidUtf8(bytes: Uint8Array): { line: number; column: number } {
  for (let low = 0, high = bytes.length; ; ) {
    // Binary search for the longest prefix that decodes; its end is the bad byte.
    if (high - low <= 1) {
      // The streaming decoder accepts the start of a character cut short; the bad character begins there.
      while (low > 0 && !decodesAsUtf8(bytes.subarray(0, low))) low -= 1;
      return placeOfByte(bytes, low);
    }
    const mid = (low + high) >> 1;
    if (decodesAsUtf8Prefix(bytes.subarray(0, mid))) low = mid;
    else high = mid;
  }
}

function decodesAsUtf8(bytes: Uint8Array): boolean {
  return tryDecode('utf-8', bytes) !== undefined;
}

// A prefix may end inside a multi-byte character; streaming mode accepts that.
function decodesAsUtf8Prefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
