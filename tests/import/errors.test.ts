import { describe, expect, it } from 'vitest';
import { recogniseReport } from '../../src/import/index.js';
import { BroadsheetError } from '../../src/diagnostics/error.js';

function failure(bytes: Uint8Array): BroadsheetError {
  try {
    recogniseReport(bytes, 'bad.txt');
  } catch (error) {
    if (error instanceof BroadsheetError) return error;
    throw error;
  }
  throw new Error('expected the import to fail');
}

describe('recogniseReport on damaged input', () => {
  it.each([
    ['an empty file', new Uint8Array(), 'BS102'],
    ['only whitespace', Buffer.from(' \n\r\n\t'), 'BS102'],
    ['only a byte-order mark', Buffer.from([0xef, 0xbb, 0xbf]), 'BS102'],
    ['binary data with NUL bytes', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]), 'BS103'],
    ['bytes that are neither UTF-8 nor GB18030', Buffer.from([0x41, 0x0a, 0x42, 0xff, 0xff, 0x01]), 'BS104'],
    ['a headline with no paragraph', Buffer.from('只有标题\n'), 'BS105'],
  ])('should reject %s with %s', (_, bytes, code) => {
    const error = failure(bytes);
    expect(error.code).toBe(code);
    expect(error.file).toBe('bad.txt');
    expect(error.hint.length).toBeGreaterThan(10);
  });

  it('should point at the line and column of the first invalid byte', () => {
    const bytes = Buffer.concat([Buffer.from('第一行\n第二行ab'), Buffer.from([0xff, 0x01])]);
    const error = failure(bytes);
    expect(error.code).toBe('BS104');
    expect([error.line, error.column]).toEqual([2, 6]);
  });
});
