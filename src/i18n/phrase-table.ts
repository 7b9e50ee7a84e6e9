import { configs } from 'opencc-js/preset/cn2t';
import { digest } from '../digest.js';

/**
 * OpenCC's Simplified → Traditional conversion, over opencc-js's own
 * dictionaries and conversion chains, held in tries of typed arrays.
 *
 * Why not opencc-js's converter itself: it keeps each dictionary as a trie of
 * one `Map` per character of every phrase (about 180,000 maps for `s2tw`),
 * tens of megabytes per converter, and a build has one in each worker
 * thread. The same tries in typed arrays take a fraction of that and convert
 * faster (docs/performance.md). The result must be exactly opencc-js's:
 * `tests/i18n/phrase-table.test.ts` holds the two to the same output on the
 * seed, on real corpus text and on generated strings made of dictionary
 * phrases, ideographic description sequences and characters beyond the BMP.
 */

/** A dictionary as opencc-js ships it: `"phrase replacement|phrase replacement"`, or pairs. */
type Dictionary = string | readonly (readonly [string, string])[];
/** Dictionaries matched as one: where two define a phrase, the first one listed wins. */
type DictionaryGroup = readonly Dictionary[];

/** One of opencc-js's `s2*` configurations (its typings omit `normalizationChain` and an absent `segmentation`). */
interface ConversionConfig {
  readonly normalizationChain?: readonly DictionaryGroup[];
  readonly segmentation?: Dictionary | DictionaryGroup;
  readonly conversionChain: readonly DictionaryGroup[];
}

/** A table as plain data (its trie's typed arrays and its replacements), to keep between runs. */
export interface PhraseTableData {
  readonly firstEdge: Uint32Array;
  readonly edgeCodePoint: Uint32Array;
  readonly replacementOf: Int32Array;
  readonly replacements: readonly string[];
}

/** The tables of one Simplified → Traditional variant, in the order the converter applies them. */
export interface ScriptTables {
  readonly normalize: readonly PhraseTableData[];
  readonly segmentation: PhraseTableData | null;
  readonly chain: readonly PhraseTableData[];
}

/**
 * Where a variant's tables are kept between runs (the cache folder), so that
 * a new process reads them instead of building them from the dictionaries.
 * The store is given from outside: this module does no I/O.
 */
export interface ScriptTableStore {
  /**
   * The installed opencc-js, by name and version (`opencc-js@1.4.2`): its
   * dictionaries, which the tables are built from, change only with its
   * release. Null when it cannot be named (a bundled copy): the dictionaries
   * themselves are digested then, which takes about 30 ms.
   */
  readonly release: string | null;
  /**
   * `key` is `<variant>-<release>`: the variant, and a digest of the
   * opencc-js release the tables are built from.
   */
  load(key: string): ScriptTables | undefined;
  /** Keeps the tables under `key`, in place of the variant's tables of any other release. */
  save(key: string, tables: ScriptTables): void;
}

/**
 * A group of dictionaries matched longest phrase first, from left to right.
 * The phrases are a trie stored in typed arrays: node n's children are the
 * edges firstEdge[n] … firstEdge[n + 1] - 1, sorted by code point.
 */
export class PhraseTable {
  readonly #firstEdge: Uint32Array;
  readonly #edgeCodePoint: Uint32Array;
  /** The root's children by code point for the Basic Multilingual Plane (0 = none): most lookups start there. */
  readonly #rootChild = new Uint32Array(0x10000);
  /** Per node: the index of its replacement, or -1 when no phrase ends there. */
  readonly #replacementOf: Int32Array;
  readonly #replacements: string[];
  /** The replacement index of the phrase #match found last. */
  #matched = -1;

  /** Built from a group of dictionaries, or taken from the data of one built before. */
  constructor(source: DictionaryGroup | PhraseTableData) {
    if (isTableData(source)) {
      this.#firstEdge = source.firstEdge;
      this.#edgeCodePoint = source.edgeCodePoint;
      this.#replacementOf = source.replacementOf;
      this.#replacements = [...source.replacements];
      this.#indexRoot();
      return;
    }
    this.#replacements = [];
    const group = source;
    const phrases = new Map<string, string>();
    // Where two dictionaries define a phrase the first one wins, so the first is loaded last.
    for (const dictionary of [...group].reverse()) {
      for (const [phrase, replacement] of entriesOf(dictionary)) if (phrase !== '') phrases.set(phrase, replacement);
    }
    const sorted = [...phrases.keys()].sort(compareCodePoints);
    const firstEdge: number[] = [];
    const edgeCodePoint: number[] = [];
    const replacementOf: number[] = [];
    // Breadth first, so that each node's edges are appended together, after those of the nodes before it.
    // Node n stands for the phrases sorted[from[n]] … sorted[to[n] - 1], which share their first prefix[n] units.
    const from = [0];
    const to = [sorted.length];
    const prefix = [0];
    for (let node = 0; node < from.length; node++) {
      const end = to[node] as number;
      const offset = prefix[node] as number;
      firstEdge.push(edgeCodePoint.length);
      let next = from[node] as number;
      // Sorted order puts the phrase that ends at this node first.
      if (next < end && (sorted[next] as string).length === offset) {
        replacementOf.push(this.#replacements.push(phrases.get(sorted[next] as string) as string) - 1);
        next++;
      } else {
        replacementOf.push(-1);
      }
      while (next < end) {
        const codePoint = (sorted[next] as string).codePointAt(offset) as number;
        let last = next + 1;
        while (last < end && (sorted[last] as string).codePointAt(offset) === codePoint) last++;
        edgeCodePoint.push(codePoint);
        from.push(next);
        to.push(last);
        prefix.push(offset + (codePoint > 0xffff ? 2 : 1));
        next = last;
      }
    }
    firstEdge.push(edgeCodePoint.length);
    this.#firstEdge = Uint32Array.from(firstEdge);
    this.#edgeCodePoint = Uint32Array.from(edgeCodePoint);
    this.#replacementOf = Int32Array.from(replacementOf);
    this.#indexRoot();
  }

  /** The table as plain data. */
  toData(): PhraseTableData {
    return { firstEdge: this.#firstEdge, edgeCodePoint: this.#edgeCodePoint, replacementOf: this.#replacementOf, replacements: this.#replacements };
  }

  #indexRoot(): void {
    for (let edge = 0; edge < (this.#firstEdge[1] ?? 0); edge++) {
      const codePoint = this.#edgeCodePoint[edge] as number;
      if (codePoint <= 0xffff) this.#rootChild[codePoint] = edge + 1;
    }
  }

  /** The child of `node` along `codePoint`, or -1. Breadth-first numbering makes edge e lead to node e + 1. */
  #child(node: number, codePoint: number): number {
    if (node === 0 && codePoint <= 0xffff) return (this.#rootChild[codePoint] as number) || -1;
    let low = this.#firstEdge[node] as number;
    let high = (this.#firstEdge[node + 1] as number) - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.#edgeCodePoint[middle] as number;
      if (found === codePoint) return middle + 1;
      if (found < codePoint) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /**
   * The length of the longest phrase at `start` (0 when none), its
   * replacement left in #matched: no object per position of the text.
   */
  #match(text: string, start: number): number {
    let node = 0;
    let length = 0;
    for (let end = start; end < text.length; ) {
      const codePoint = text.codePointAt(end) as number;
      end += codePoint > 0xffff ? 2 : 1;
      node = this.#child(node, codePoint);
      if (node < 0) break;
      const value = this.#replacementOf[node] as number;
      if (value >= 0) {
        length = end - start;
        this.#matched = value;
      }
    }
    return length;
  }

  /** Replaces every phrase, longest first from the left; what matches nothing is kept. */
  convert(text: string): string {
    return this.#cut(text, (phrase) => this.#replacements[phrase] as string).join('');
  }

  /** Cuts text into the phrases this table knows and the runs between them. */
  segment(text: string): string[] {
    return this.#cut(text, null);
  }

  /** The phrases (replaced, when `replace` is given) and the runs of text between them, in order. */
  #cut(text: string, replace: ((phrase: number) => string) | null): string[] {
    const pieces: string[] = [];
    let start = 0;
    let runStart = -1;
    while (start < text.length) {
      const length = this.#match(text, start);
      if (length > 0) {
        if (runStart >= 0) pieces.push(text.slice(runStart, start));
        runStart = -1;
        pieces.push(replace ? replace(this.#matched) : text.slice(start, start + length));
        start += length;
      } else {
        if (runStart < 0) runStart = start;
        start += unmatchedLength(text, start);
      }
    }
    if (runStart >= 0) pieces.push(text.slice(runStart));
    return pieces;
  }
}

function* entriesOf(dictionary: Dictionary): Iterable<readonly [string, string]> {
  if (typeof dictionary !== 'string') {
    yield* dictionary;
    return;
  }
  for (const line of dictionary.split('|')) {
    const space = line.indexOf(' ');
    // opencc-js reads the first two words of a line; its dictionaries have exactly two.
    if (space > 0) yield [line.slice(0, space), line.slice(space + 1).split(' ')[0] ?? ''];
  }
}

/**
 * How far to step over text no phrase matches: one code point, or a whole
 * ideographic description sequence (⿰木木 describes one character), so that
 * no phrase is matched inside one — opencc-js does the same.
 */
function unmatchedLength(text: string, start: number): number {
  const end = descriptionEnd(text, start);
  return end > start ? end - start : codePointLength(text, start);
}

/** The end of the description sequence at `start`, or 0 when there is none (or it is cut off by the end of the text). */
function descriptionEnd(text: string, start: number): number {
  const operands = operandCount(text.codePointAt(start) ?? 0);
  if (operands === 0) return 0;
  let end = start + codePointLength(text, start);
  for (let operand = 0; operand < operands; operand++) {
    if (end >= text.length) return 0;
    // An operand is a nested sequence or, failing that, one code point.
    end = descriptionEnd(text, end) || end + codePointLength(text, end);
  }
  return end;
}

/** How many components an ideographic description character (U+2FF0–U+2FFF) combines. */
function operandCount(codePoint: number): number {
  if (codePoint < 0x2ff0 || codePoint > 0x2fff) return 0;
  return codePoint === 0x2ff2 || codePoint === 0x2ff3 ? 3 : 2;
}

/** Orders strings by code point (plain `<` orders UTF-16 units, which puts U+E000–U+FFFF after the astral planes). */
function compareCodePoints(a: string, b: string): number {
  const shared = Math.min(a.length, b.length);
  for (let index = 0; index < shared; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return inCodePointOrder(x) - inCodePointOrder(y);
  }
  return a.length - b.length;
}

/** Moves surrogates above U+E000–U+FFFF, where the code points they encode belong. */
function inCodePointOrder(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  return unit >= 0xd800 ? unit + 0x2000 : unit;
}

function codePointLength(text: string, index: number): number {
  return (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
}

/**
 * The converter from Simplified characters to a Traditional variant (`tw`,
 * `twp`, `hk`, `t`), following opencc-js's configuration for it: normalise
 * compatibility ideographs, cut the text into known phrases, then convert
 * each piece through the chain of dictionary groups.
 */
export function createScriptConverter(variant: string, store?: ScriptTableStore): (text: string) => string {
  // Built once per variant and thread: the tables are a few megabytes and take about 300 ms to build, and
  // they depend on nothing but the variant (a watch session's configuration edit needs them again).
  let converter = scriptConverters.get(variant);
  if (!converter) {
    converter = scriptConverter(tablesOf(variant, store));
    scriptConverters.set(variant, converter);
  }
  return converter;
}

/** The variant's tables: from the store when it has them, else built (and given to the store). */
function tablesOf(variant: string, store: ScriptTableStore | undefined): { normalize: PhraseTable[]; segmentation: PhraseTable | null; chain: PhraseTable[] } {
  const key = store ? `${variant}-${digest(store.release ?? JSON.stringify(conversionConfig(variant))).slice(0, 16)}` : '';
  const kept = store?.load(key);
  if (kept) {
    return { normalize: kept.normalize.map((data) => new PhraseTable(data)), segmentation: kept.segmentation && new PhraseTable(kept.segmentation), chain: kept.chain.map((data) => new PhraseTable(data)) };
  }
  const built = buildScriptTables(variant);
  store?.save(key, { normalize: built.normalize.map((table) => table.toData()), segmentation: built.segmentation?.toData() ?? null, chain: built.chain.map((table) => table.toData()) });
  return built;
}

function isTableData(source: DictionaryGroup | PhraseTableData): source is PhraseTableData {
  return !Array.isArray(source) && 'firstEdge' in source;
}

const scriptConverters = new Map<string, (text: string) => string>();

function buildScriptTables(variant: string): { normalize: PhraseTable[]; segmentation: PhraseTable | null; chain: PhraseTable[] } {
  const config = conversionConfig(variant);
  return {
    normalize: (config.normalizationChain ?? []).map((group) => new PhraseTable(group)),
    segmentation: config.segmentation ? new PhraseTable(asGroup(config.segmentation)) : null,
    chain: config.conversionChain.map((group) => new PhraseTable(group)),
  };
}

function conversionConfig(variant: string): ConversionConfig {
  // The preset is a plain data module; its typings describe fewer fields than it has.
  const config = (configs as unknown as Record<string, ConversionConfig | undefined>)[`s2${variant}`];
  if (!config) throw new Error(`opencc-js has no Simplified → ${variant} configuration`);
  return config;
}

function scriptConverter({ normalize, segmentation, chain }: { normalize: PhraseTable[]; segmentation: PhraseTable | null; chain: PhraseTable[] }): (text: string) => string {
  return (text) => {
    const normalized = normalize.reduce((current, table) => table.convert(current), text);
    const pieces = segmentation ? segmentation.segment(normalized) : [normalized];
    return pieces.map((piece) => chain.reduce((current, table) => table.convert(current), piece)).join('');
  };
}

/** opencc-js takes a segmentation dictionary alone or as a group of dictionaries. */
function asGroup(segmentation: Dictionary | DictionaryGroup): DictionaryGroup {
  const isGroup = Array.isArray(segmentation) && segmentation.every((item) => typeof item === 'string');
  return isGroup ? (segmentation as DictionaryGroup) : [segmentation as Dictionary];
}
