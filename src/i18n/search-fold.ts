import { configs as toTraditional } from 'opencc-js/preset/cn2t';
import { configs as toSimplified } from 'opencc-js/preset/t2cn';
import type { Config, Language } from '../model/config.js';
import type { OutputFile } from '../model/page.js';
import type { ConverterLookup } from './derive.js';

/**
 * Search in either Chinese script. Readers type with a Simplified or a
 * Traditional input method whichever edition they read, and each edition's
 * index holds its own script. Each Chinese edition's search page therefore
 * folds a query into the script of its index, character by character, with
 * a table the build writes beside the page: Simplified → Traditional for a
 * derived edition (through that edition's own converter, so the table
 * agrees with its pages), Traditional → Simplified for the edition it is
 * derived from. Searching the index in its own script keeps one index per
 * edition, with its titles, URLs and excerpts in the reader's script.
 */

/** Which way an edition's search page folds queries, if any. */
export type FoldDirection = 'to-derived' | 'to-source';

export function foldDirection(language: Language, config: Config): FoldDirection | null {
  if (language.derive) return 'to-derived';
  return config.languages.some((other) => other.derive?.from === language.code) ? 'to-source' : null;
}

/** Where an edition's search page finds its fold table. */
export function foldUrl(language: Language): string {
  return `/${language.path}/search/fold.json`;
}

/** The fold table of every edition that has one, as files to write; `{"from": "…", "to": "…"}`, character for character. */
export function searchFoldFiles(config: Config, converters: ConverterLookup): OutputFile[] {
  // A derived edition's pairs serve its own table and, inverted, its source's.
  const derivedPairs = new Map<string, [string, string][]>();
  const pairsOf = (language: Language): [string, string][] => {
    let pairs = derivedPairs.get(language.code);
    if (!pairs) derivedPairs.set(language.code, (pairs = toDerivedPairs(language, converters)));
    return pairs;
  };
  return config.languages.flatMap((language) => {
    const direction = foldDirection(language, config);
    if (!direction) return [];
    const pairs = direction === 'to-derived' ? pairsOf(language) : toSourcePairs(language, config, pairsOf);
    return [{ path: foldUrl(language).slice(1), contents: `${JSON.stringify(tableOf(pairs))}\n` }];
  });
}

/** Every Simplified character OpenCC knows, through the derived edition's converter. */
function toDerivedPairs(language: Language, converters: ConverterLookup): [string, string][] {
  const convert = converters.get(language.code);
  if (!convert) return [];
  return characters(chainOf(toTraditional, 's2t')).flatMap((simplified) => {
    const traditional = convert(simplified);
    return [...traditional].length === 1 && traditional !== simplified ? [[simplified, traditional]] : [];
  });
}

/** OpenCC's Traditional → Simplified characters, and the inverse of each derived edition's own variants. */
function toSourcePairs(language: Language, config: Config, derivedPairs: (language: Language) => [string, string][]): [string, string][] {
  const pairs = new Map(characterPairs(chainOf(toSimplified, 't2s')));
  for (const derived of config.languages.filter((other) => other.derive?.from === language.code)) {
    for (const [simplified, traditional] of derivedPairs(derived)) if (!pairs.has(traditional)) pairs.set(traditional, simplified);
  }
  return [...pairs];
}

/** The table as two strings of the same length in code points, sorted: small, and the same bytes on every build. */
function tableOf(pairs: readonly [string, string][]): { from: string; to: string } {
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { from: sorted.map(([from]) => from).join(''), to: sorted.map(([, to]) => to).join('') };
}

type Dictionary = string | readonly (readonly [string, string])[];

/** The dictionaries of a conversion's chain, as opencc-js's preset has them. */
function chainOf(presets: unknown, name: string): Dictionary[] {
  const config = (presets as Record<string, { conversionChain: Dictionary[][] } | undefined>)[name];
  if (!config) throw new Error(`opencc-js has no ${name} configuration`);
  return config.conversionChain.flat();
}

/** The single-character entries of the dictionaries, each with its first candidate; the first dictionary to name a character wins. */
function characterPairs(dictionaries: readonly Dictionary[]): [string, string][] {
  const pairs = new Map<string, string>();
  const add = (from: string, to: string): void => {
    const first = to.split(' ')[0] ?? '';
    if ([...from].length === 1 && [...first].length === 1 && from !== first && !pairs.has(from)) pairs.set(from, first);
  };
  for (const dictionary of dictionaries) {
    if (typeof dictionary !== 'string') {
      for (const [from = '', to = ''] of dictionary) add(from, to);
      continue;
    }
    // Most entries are phrases: only those whose key is one code point (one or two UTF-16 units) are split.
    for (let start = 0; start < dictionary.length; ) {
      const end = dictionary.indexOf('|', start);
      const stop = end < 0 ? dictionary.length : end;
      const space = dictionary.indexOf(' ', start);
      if (space > start && space <= start + 2 && space < stop) add(dictionary.slice(start, space), dictionary.slice(space + 1, stop));
      start = stop + 1;
    }
  }
  return [...pairs];
}

function characters(dictionaries: readonly Dictionary[]): string[] {
  return characterPairs(dictionaries).map(([from]) => from);
}
