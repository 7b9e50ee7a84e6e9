import type { Article } from '../model/article.js';
import type { ReadingMeasure } from '../model/archive.js';

/** Chinese, Japanese and Korean are counted in characters, other languages in words. */
function countsCharacters(lang: string): boolean {
  return /^(?:zh|ja|ko)\b/i.test(lang);
}

/** The length of an article's body text (headings, lead, paragraphs): characters or words, by its language. */
export function bodyLength(article: Article): number {
  const text = [
    ...article.lead.map((block) => block.text),
    ...article.sections.flatMap((section) => [section.heading, section.subheading ?? '', ...section.blocks.map((block) => block.text)]),
  ].join('\n');
  if (countsCharacters(article.lang)) return text.replace(/\s+/g, '').length;
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)?.length ?? 0;
}

/** The reading measure of a body of `length` (see `bodyLength`) in language `lang`. */
export function measureReading(length: number, lang: string, speed: { readonly characters: number; readonly words: number }): ReadingMeasure {
  const byCharacters = countsCharacters(lang);
  const perMinute = byCharacters ? speed.characters : speed.words;
  return { count: length, unit: byCharacters ? 'characters' : 'words', minutes: Math.max(1, Math.round(length / perMinute)) };
}
