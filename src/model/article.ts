import type { RootContent } from 'mdast';

/**
 * Shared domain types. The data flows one way through them:
 * SourceFile (load) → mdast (parse) → Article (structure) →
 * RenderedArticle (render/html) → Page (render/pages) → files (write).
 */

/** A content file read from disk, not yet parsed. */
export interface SourceFile {
  /** Path as the user would type it (relative to the working folder when possible). */
  readonly path: string;
  /** Path relative to the content folder, with `/` separators: `2019/report.en.md`. */
  readonly relativePath: string;
  /** Shared by a source and its translations: `2019/report`. */
  readonly key: string;
  /** Language code from the file name; the source language when there is no suffix. */
  readonly lang: string;
  readonly text: string;
  /** The file's size in bytes, for the limits on one file's work (see docs/safety.md). */
  readonly bytes: number;
}

/** A date that may be known only to the year or the month. */
export interface ArticleDate {
  /** `2019-11-26`, `2019-11` or `2019`. */
  readonly iso: string;
  readonly precision: 'year' | 'month' | 'day';
  /** Sort key: the first day of the period, as `YYYY-MM-DD`. */
  readonly sortKey: string;
}

/** One credited person: `{ role: '通讯员', name: '蓝华林' }`; corpus `authors` have no role. */
export interface Credit {
  readonly role: string | null;
  readonly name: string;
}

/** Where something was written in a content file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Where the front matter gives the fields that a later step may have to report on; null when it does not. */
export interface FieldPositions {
  /** For a date in the future (a warning made at build time). */
  readonly date: SourcePosition | null;
  /** For a URL that another page claims too. */
  readonly slug: SourcePosition | null;
}

/** Validated front matter: everything about an article except its body. */
export interface ArticleMeta {
  readonly title: string;
  readonly kicker: string | null;
  readonly subtitle: string | null;
  readonly date: ArticleDate | null;
  readonly dateNote: string | null;
  readonly byline: readonly Credit[];
  readonly places: readonly string[];
  readonly tags: readonly string[];
  readonly source: string | null;
  readonly dateline: string | null;
  readonly originalTitle: string | null;
  readonly editors: readonly Credit[];
  readonly captions: readonly { readonly text: string; readonly credit: string | null }[];
  readonly notes: readonly string[];
  readonly importedFrom: string | null;
  /** Set when the front matter gives one; otherwise the file name decides. */
  readonly slug: string | null;
}

/** A block of an article body (a paragraph, list, quote…) with its anchor id. */
export interface Block<Content = RootContent> {
  /** Anchor id, stable for a given structure and shared across languages: `s2-p3`. */
  readonly id: string;
  readonly content: Content;
  readonly position: SourcePosition | null;
}

/** A block as structured from Markdown: its syntax tree and its plain text. */
export interface SourceBlock extends Block<RootContent> {
  /** Plain text, for reading time, excerpts and place names (see `TextSummary`). */
  readonly text: string;
}

/** A section: `##` heading, optional `###` subheading, blocks. */
export interface Section<B extends Block<unknown> = SourceBlock> {
  /** Anchor id: `s1`. */
  readonly id: string;
  readonly heading: string;
  readonly subheading: string | null;
  readonly blocks: readonly B[];
  readonly position: SourcePosition | null;
}

/** A structured article: the report's parts, independent of how they are shown. */
export interface Article<B extends Block<unknown> = SourceBlock> {
  readonly file: string;
  /** Changes whenever anything the article is made from changes: its source text and language. */
  readonly fingerprint: string;
  /** The size of the content file in bytes, for the size warning (see docs/safety.md). */
  readonly bytes: number;
  /** Where the front matter gives the fields later steps may report on. */
  readonly positions: FieldPositions;
  readonly key: string;
  readonly lang: string;
  readonly meta: ArticleMeta;
  readonly lead: readonly B[];
  readonly sections: readonly Section<B>[];
  readonly related: readonly string[];
}

/**
 * What the archive needs of an article's plain text, worked out when the
 * article is structured. The rendered article keeps its blocks as HTML only:
 * a second, plain copy of every block was a third of the archive's memory.
 */
export interface TextSummary {
  /** The body's length as its language counts it: characters for Chinese, Japanese and Korean, words otherwise. */
  readonly length: number;
  /** The lead as plain text, its paragraphs joined by spaces, cut at 300 characters: for descriptions and feeds. */
  readonly excerpt: string;
  /** Ids of the gazetteer places named in the title, the headings or the text, in gazetteer order. */
  readonly places: readonly string[];
}

/** An article whose blocks are HTML strings, ready for templates, with what the archive needs of its text. */
export interface RenderedArticle extends Article<Block<string>> {
  readonly summary: TextSummary;
}
