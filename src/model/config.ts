/**
 * The site configuration as the rest of broadsheet sees it: validated,
 * defaults resolved, frozen. `config/` reads and checks `broadsheet.yaml`
 * into this shape.
 */

/** How an edition is generated from another instead of being written. */
export interface DeriveSettings {
  /** The language whose content is converted: for now Simplified Chinese (`zh-Hans`). */
  readonly from: string;
  /** OpenCC target: `tw` (Taiwan characters), `hk` (Hong Kong), `t` (OpenCC standard), `twp` (Taiwan with vocabulary). */
  readonly variant: 'tw' | 'hk' | 't' | 'twp';
  /** Turn “double” and ‘single’ quotes into 「corner」 and 『corner』 brackets. */
  readonly cornerQuotes: boolean;
  /** Terms the converter gets wrong: Simplified term → the Traditional form to print. */
  readonly overrides: Readonly<Record<string, string>>;
}

/** One edition of the site. */
export interface Language {
  /** BCP 47 tag: `zh-Hans`. */
  readonly code: string;
  /** URL segment: `zh-hans`. */
  readonly path: string;
  /** Name in its own language: `简体中文`. */
  readonly name: string;
  /** Locale for Intl formatting. */
  readonly locale: string;
  /** Set when the edition is generated from another language; such an edition has no content files. */
  readonly derive: DeriveSettings | null;
}

/** The validated, frozen site configuration. */
export interface Config {
  /** The file it was read from, or `null` when defaults were used. */
  readonly file: string | null;
  readonly titles: Readonly<Record<string, string>>;
  readonly baseUrl: string | null;
  readonly languages: readonly Language[];
  /** The language content files without a language suffix are written in. */
  readonly sourceLanguage: Language;
  readonly readingSpeed: { readonly characters: number; readonly words: number };
  /** Articles per listing page. */
  readonly pageSize: number;
  /** Places recognised in texts and given listing pages. */
  readonly gazetteer: readonly GazetteerPlace[];
  /** The gazetteer files, resolved, so a watcher can follow them. */
  readonly gazetteerFiles: readonly string[];
  readonly feedSize: number;
  readonly feedContent: 'full' | 'summary';
  readonly search: boolean;
  /** Most article pages in one search bundle (see search/shards.ts). */
  readonly searchBundlePages: number;
  /** Bounds on the work one content file may cause (see docs/safety.md). */
  readonly limits: ContentLimits;
}

/** Bounds on the work one content file may cause. */
export interface ContentLimits {
  /** Milliseconds one file may take to be parsed and structured, plus as many again per megabyte (see {@link parseBudgetMs}). */
  readonly parseMs: number;
  /** Above this many bytes a content file is built with a warning. */
  readonly warnBytes: number;
  /** Above this many bytes a content file is refused. */
  readonly maxBytes: number;
}

/** A place the site knows by name in every language. */
export interface GazetteerPlace {
  /** URL segment of the place's listing: `meijiang`. */
  readonly id: string;
  /** Name per language code: `{ 'zh-Hans': '梅江区', en: 'Meijiang District' }`. */
  readonly names: Readonly<Record<string, string>>;
  /** Every string that identifies the place in a text, names and aliases alike. */
  readonly matches: readonly string[];
}

/** The language with this code (case-insensitive), if configured. */
export function findLanguage(config: Config, code: string): Language | undefined {
  const lower = code.toLowerCase();
  return config.languages.find((language) => language.code.toLowerCase() === lower);
}
