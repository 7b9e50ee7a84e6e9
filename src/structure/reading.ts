import type { Article } from '../types.js';

/** An article's length the way its language counts it, and the time to read it. */
export interface ReadingMeasure {
  readonly count: number;
  /** Chinese counts characters (字); alphabetic languages count words. */
  readonly unit: 'characters' | 'words';
  readonly minutes: number;
}

/** Measures the body text (headings, lead, paragraphs) of an article. */
export function measureReading<Content>(
  article: Article<Content>,
  speed: { readonly characters: number; readonly words: number },
): ReadingMeasure {
  const text = [
    ...article.lead.map((block) => block.text),
    ...article.sections.flatMap((section) => [section.heading, section.subheading ?? '', ...section.blocks.map((block) => block.text)]),
  ].join('\n');
  const byCharacters = /^(?:zh|ja|ko)\b/i.test(article.lang);
  const count = byCharacters ? text.replace(/\s+/g, '').length : (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)?.length ?? 0);
  const perMinute = byCharacters ? speed.characters : speed.words;
  return { count, unit: byCharacters ? 'characters' : 'words', minutes: Math.max(1, Math.round(count / perMinute)) };
}
