// Characters no page or feed may carry: control characters other than tab and line breaks (a form feed copied
// from a PDF, a stray escape), and the Unicode noncharacters. HTML reads them as errors and XML refuses them.
const NOT_PLAIN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]/;

/** The first character of `text` that plain text may not hold, or null when there is none. */
export function notPlainText(text: string): { readonly index: number; readonly code: string } | null {
  const match = NOT_PLAIN_TEXT.exec(text);
  return match ? { index: match.index, code: `U+${(match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}` } : null;
}

/**
 * `text` with what plain text may not hold taken out, for the importer: a
 * form feed or vertical tab (a page break in text from a PDF) becomes a line
 * break, anything else of the kind goes.
 */
export function toPlainText(text: string): string {
  return text.replace(/[\f\v]/g, '\n').replace(new RegExp(NOT_PLAIN_TEXT.source, 'g'), '');
}
