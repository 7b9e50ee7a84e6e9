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
  return config.languages.flatMap((language) => {
    const direction = foldDirection(language, config);
    if (!direction) return [];
    const pairs = direction === 'to-derived' ? toDerivedPairs(language, converters) : toSourcePairs(language, config, converters);
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
function toSourcePairs(language: Language, config: Config, converters: ConverterLookup): [string, string][] {
  const pairs = new Map(characterPairs(chainOf(toSimplified, 't2s')));
  for (const derived of config.languages.filter((other) => other.derive?.from === language.code)) {
    for (const [simplified, traditional] of toDerivedPairs(derived, converters)) if (!pairs.has(traditional)) pairs.set(traditional, simplified);
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
  for (const dictionary of dictionaries) {
    const entries = typeof dictionary === 'string' ? dictionary.split('|').map((entry) => entry.split(' ')) : dictionary;
    for (const [from = '', to = ''] of entries) {
      const first = to.split(' ')[0] ?? '';
      if ([...from].length === 1 && [...first].length === 1 && from !== first && !pairs.has(from)) pairs.set(from, first);
    }
  }
  return [...pairs];
}

function characters(dictionaries: readonly Dictionary[]): string[] {
  return characterPairs(dictionaries).map(([from]) => from);
}
