import type { SourceLine } from './types.js';

// Indentation and padding seen in newsroom exports: ASCII and full-width
// spaces, no-break spaces, zero-width spaces and stray byte-order marks.
const EDGE_SPACE = /^[\s\u3000\u00a0\u200b\ufeff]+|[\s\u3000\u00a0\u200b\ufeff]+$/g;

/**
 * Splits report text into its non-empty lines, trimmed of indentation and
 * trailing spaces, each with its line number in the original file. Blank
 * lines carry no meaning in these exports (some put one between every line),
 * so they are dropped here.
 */
export function toSourceLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const trimmed = raw.replace(EDGE_SPACE, '');
    if (trimmed !== '') lines.push({ text: trimmed, line: index + 1 });
  });
  return lines;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;
const CJK_GLOBAL = new RegExp(CJK.source, 'gu');

/** True when the text is written mostly in Chinese characters rather than Latin letters. */
export function isMostlyChinese(text: string): boolean {
  const han = text.match(CJK_GLOBAL)?.length ?? 0;
  const latin = text.match(/[A-Za-z]+/g)?.length ?? 0;
  return han > 0 && han >= latin;
}

/** True when the text contains at least one Chinese character. */
export function hasChinese(text: string): boolean {
  return CJK.test(text);
}
