import type { Nodes } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { DeriveSettings, Language } from '../model/config.js';
import type { Article, ArticleMeta, Credit, SourceBlock } from '../model/article.js';
import { createScriptConverter, PhraseTable, type ScriptTableStore } from './phrase-table.js';
import type { Catalogue } from '../model/catalogue.js';

/** Turns text of the source script into the derived edition's script. */
export type TextConverter = (text: string) => string;

/**
 * Builds the Simplified → Traditional converter for a derived edition:
 * OpenCC for characters, then the project's overrides for terms OpenCC
 * gets wrong, then (optionally) corner quotes. Building one costs about
 * 150 ms, so build it once per run.
 */
export function createConverter(settings: DeriveSettings, store?: ScriptTableStore): TextConverter {
  const convert = createScriptConverter(settings.variant, store);
  // Overrides are written as Simplified term → wanted Traditional form; what OpenCC makes of the
  // Simplified term is what must be replaced in its output.
  const pairs = Object.entries(settings.overrides)
    .map(([simplified, wanted]): [string, string] => [convert(simplified), wanted])
    .filter(([produced, wanted]) => produced !== wanted);
  const overrides = pairs.length > 0 ? new PhraseTable([pairs]) : null;
  const fix = overrides ? (text: string) => overrides.convert(text) : (text: string) => text;
  const quotes = settings.cornerQuotes ? toCornerQuotes : (text: string) => text;
  return (text) => quotes(fix(convert(text)));
}

/** Finds the converter of a derived edition by its language code. */
export interface ConverterLookup {
  get(code: string): TextConverter | undefined;
}

/**
 * The converters of a configuration's derived editions, each built the first
 * time it is asked for. A converter takes about 150 ms to build (and a few
 * MB for its dictionaries), so a thread that never converts (the main thread
 * of a full build, which hands every file to the worker threads; a worker
 * given only English files) never pays.
 */
export class Converters implements ConverterLookup {
  readonly #settings: ReadonlyMap<string, DeriveSettings>;
  readonly #built = new Map<string, TextConverter>();
  readonly #store: ScriptTableStore | undefined;

  /** `store` keeps the converters' tables between runs (the cache folder), so that a new process need not build them. */
  constructor(languages: readonly Language[], store?: ScriptTableStore) {
    this.#settings = new Map(languages.flatMap((language) => (language.derive ? [[language.code, language.derive] as const] : [])));
    this.#store = store;
  }

  /** Builds every converter now (watch mode: so that the first edit does not wait for it). */
  prepare(): void {
    for (const code of this.#settings.keys()) this.get(code);
  }

  get(code: string): TextConverter | undefined {
    const settings = this.#settings.get(code);
    if (!settings) return undefined;
    let converter = this.#built.get(code);
    if (!converter) {
      converter = createConverter(settings, this.#store);
      this.#built.set(code, converter);
    }
    return converter;
  }
}

const CORNER_QUOTES: Record<string, string> = { '“': '「', '”': '」', '‘': '『', '’': '』' };

function toCornerQuotes(text: string): string {
  return text.replace(/[“”‘’]/g, (quote) => CORNER_QUOTES[quote] ?? quote);
}

/**
 * The derived edition of an article: every piece of reader-visible text
 * converted, structure, ids and positions unchanged. Text nodes are
 * converted one by one, never serialised markup.
 */
export function deriveArticle(article: Article, language: Language, convert: TextConverter): Article {
  // OpenCC's cost is per call as well as per character: every text of the article goes through it in one call.
  const texts: string[] = [];
  deriveWith(article, language, (text) => {
    texts.push(text);
    return text;
  });
  const converted = convertAll(texts, convert);
  let next = 0;
  return deriveWith(article, language, () => converted[next++] as string);
}

// Dictionary phrases never contain it, so no conversion reaches across it: converting the joined
// texts gives what converting each would.
const SEPARATOR = '\u0000';

function convertAll(texts: readonly string[], convert: TextConverter): string[] {
  const parts = convert(texts.join(SEPARATOR)).split(SEPARATOR);
  // A text that holds the separator itself (possible in front matter) is converted on its own.
  return parts.length === texts.length ? parts : texts.map(convert);
}

function deriveWith(article: Article, language: Language, convert: TextConverter): Article {
  // A block's plain text is read off its converted content, as the source's is off its own.
  const block = (item: SourceBlock): SourceBlock => {
    const content = convertNode(item.content, convert) as SourceBlock['content'];
    return { ...item, content, text: toString(content) };
  };
  return {
    ...article,
    lang: language.code,
    fingerprint: `${article.fingerprint}:${language.code}`,
    meta: deriveMeta(article.meta, convert),
    lead: article.lead.map(block),
    sections: article.sections.map((section) => ({
      ...section,
      heading: convert(section.heading),
      subheading: section.subheading === null ? null : convert(section.subheading),
      blocks: section.blocks.map(block),
    })),
    related: article.related.map(convert),
  };
}

function deriveMeta(meta: ArticleMeta, convert: TextConverter): ArticleMeta {
  const optional = (text: string | null): string | null => (text === null ? null : convert(text));
  const credit = (entry: Credit): Credit => ({ role: optional(entry.role), name: convert(entry.name) });
  return {
    ...meta,
    title: convert(meta.title),
    kicker: optional(meta.kicker),
    subtitle: optional(meta.subtitle),
    dateNote: optional(meta.dateNote),
    byline: meta.byline.map(credit),
    places: meta.places.map(convert),
    tags: meta.tags.map(convert),
    source: optional(meta.source),
    dateline: optional(meta.dateline),
    originalTitle: optional(meta.originalTitle),
    editors: meta.editors.map(credit),
    captions: meta.captions.map((caption) => ({ text: convert(caption.text), credit: optional(caption.credit) })),
    notes: meta.notes.map(convert),
  };
}

// Code and raw HTML are not prose; everything else that carries text is converted.
function convertNode(node: Nodes, convert: TextConverter): Nodes {
  if (node.type === 'code' || node.type === 'inlineCode' || node.type === 'html') return node;
  const copy: Record<string, unknown> = { ...node };
  if (node.type === 'text') copy.value = convert(node.value);
  if ('alt' in node && typeof node.alt === 'string') copy.alt = convert(node.alt);
  if ('title' in node && typeof node.title === 'string') copy.title = convert(node.title);
  if ('children' in node) copy.children = node.children.map((child) => convertNode(child, convert));
  return copy as unknown as Nodes;
}

/** A derived edition's interface text, converted from the source catalogue when it has none of its own. */
export function deriveCatalogue(source: Catalogue, language: Language, convert: TextConverter): Catalogue {
  return {
    lang: language.code,
    file: source.file,
    strings: new Map([...source.strings].map(([key, text]) => [key, convert(text)])),
  };
}
