import { pinyin } from 'pinyin-pro';

/** The longest slug a title gives, in characters; cut between words, so never inside a syllable. */
const MAX_SLUG_LENGTH = 60;
const words = new Intl.Segmenter('zh-Hans', { granularity: 'word' });

/**
 * A readable file name from a report's title: its words romanised
 * (pinyin-pro, without tones; ü as v), each word's syllables together and
 * the words joined by hyphens, cut on a word boundary:
 * `梅州打通基层党组织…` → `mei-zhou-datong-jiceng-dang-zuzhi-…`. The same
 * title always gives the same slug. Null when the title has no letters or
 * digits to make one from.
 */
export function slugFromTitle(title: string): string | null {
  const parts: string[] = [];
  let length = 0;
  for (const word of pairLoneCharacters([...words.segment(title.normalize('NFKC'))].filter((segment) => segment.isWordLike).map((segment) => segment.segment))) {
    for (const part of romanise(word)) {
      const added = (parts.length > 0 ? 1 : 0) + part.length;
      if (length + added > MAX_SLUG_LENGTH) return finish(parts);
      parts.push(part);
      length += added;
    }
  }
  return finish(parts);
}

/**
 * The word list with each run of exactly two one-character Chinese words
 * made one word. The segmenter's dictionary lacks most place and personal
 * names and splits them into characters (梅/州); most Chinese words have two
 * characters, so such a pair is most likely one. Longer runs are left apart.
 */
function pairLoneCharacters(list: readonly string[]): string[] {
  const lone = (word: string | undefined): boolean => word !== undefined && /^\p{Script=Han}$/u.test(word);
  const paired: string[] = [];
  for (let index = 0; index < list.length; index++) {
    const word = list[index] as string;
    const pair = lone(word) && lone(list[index + 1]) && !lone(list[index - 1]) && !lone(list[index + 2]);
    paired.push(pair ? word + list[++index] : word);
  }
  return paired;
}

/**
 * A word as slug parts: one part for the word's syllables together, or,
 * for a word longer than a whole slug, one part per syllable.
 */
function romanise(word: string): string[] {
  const syllables = pinyin(word, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true })
    .map((syllable) => syllable.toLowerCase().replace(/[^a-z0-9]+/g, ''))
    .filter(Boolean);
  const joined = syllables.join('');
  return joined.length > MAX_SLUG_LENGTH ? syllables : joined ? [joined] : [];
}

function finish(parts: readonly string[]): string | null {
  return parts.length > 0 ? parts.join('-') : null;
}
