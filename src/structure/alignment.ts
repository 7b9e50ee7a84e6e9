import { BroadsheetError } from '../diagnostics/error.js';
import type { Article, Block, Section } from '../model/article.js';

/** One row of a parallel view: the same position in two editions, either side possibly missing. */
export type AlignedRow<B extends Block<unknown>> =
  | { readonly kind: 'heading'; readonly id: string; readonly left: Section<B> | null; readonly right: Section<B> | null }
  | { readonly kind: 'block'; readonly id: string; readonly left: B | null; readonly right: B | null };

/**
 * Pairs two editions of an article by structure: lead paragraph n with lead
 * paragraph n, section n's heading with section n's heading, and so on.
 * Where one side has fewer, the row keeps `null` on that side so the view
 * can mark the gap instead of shifting everything after it.
 */
export function alignArticles<B extends Block<unknown>>(left: Article<B>, right: Article<B>): AlignedRow<B>[] {
  const rows: AlignedRow<B>[] = [...alignBlocks(left.lead, right.lead, 'p')];
  const sections = Math.max(left.sections.length, right.sections.length);
  for (let index = 0; index < sections; index++) {
    const a = left.sections[index] ?? null;
    const b = right.sections[index] ?? null;
    const id = `s${index + 1}`;
    rows.push({ kind: 'heading', id, left: a, right: b });
    rows.push(...alignBlocks(a?.blocks ?? [], b?.blocks ?? [], `${id}-p`));
  }
  return rows;
}

function alignBlocks<B extends Block<unknown>>(a: readonly B[], b: readonly B[], prefix: string): AlignedRow<B>[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, index) => ({
    kind: 'block' as const,
    id: `${prefix}${index + 1}`,
    left: a[index] ?? null,
    right: b[index] ?? null,
  }));
}

const HAN = /[\u3400-\u9fff]/u;

/**
 * Finds where a hand translation does not follow its source: a missing or
 * extra section, a different number of paragraphs in the lead or a section,
 * a heading left untranslated. Each finding is a warning naming both files.
 */
export function checkAlignment<B extends Block<unknown>>(source: Article<B>, translation: Article<B>): BroadsheetError[] {
  const warnings: BroadsheetError[] = [];
  const warn = (message: string, line?: number): void => {
    warnings.push(new BroadsheetError('BS211', `${message} (source: ${source.file})`, { file: translation.file, line, severity: 'warning' }));
  };
  if (source.lead.length !== translation.lead.length) {
    warn(`the lead has ${translation.lead.length} paragraphs, the source has ${source.lead.length}`, translation.lead[0]?.position?.line);
  }
  const count = Math.max(source.sections.length, translation.sections.length);
  for (let index = 0; index < count; index++) {
    const original = source.sections[index];
    const translated = translation.sections[index];
    const name = `section ${index + 1}`;
    if (!translated) warn(`${name} ("${original?.heading}") is missing`);
    else if (!original) warn(`${name} ("${translated.heading}") has no counterpart in the source`, translated.position?.line);
    else {
      const line = translated.position?.line;
      if (original.blocks.length !== translated.blocks.length) {
        warn(`${name} ("${translated.heading}") has ${translated.blocks.length} paragraphs, the source's ("${original.heading}") has ${original.blocks.length}`, line);
      }
      if (isUntranslated(original.heading, translated.heading, translation.lang)) {
        warn(`${name} heading "${translated.heading}" is not translated`, line);
      }
      if (original.subheading !== null && translated.subheading !== null && isUntranslated(original.subheading, translated.subheading, translation.lang)) {
        warn(`${name} subheading "${translated.subheading}" is not translated`, line);
      }
    }
  }
  return warnings;
}

// Copied verbatim, or Chinese characters left in a translation into a language that does not use them.
function isUntranslated(original: string, translated: string, lang: string): boolean {
  return original === translated || (!/^(?:zh|ja)\b/i.test(lang) && HAN.test(translated));
}
