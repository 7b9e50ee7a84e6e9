/** One role/name pair of a byline: `{ role: '通讯员', name: '蓝华林' }`. */
export interface BylineEntry {
  readonly role: string;
  readonly name: string;
}

/** One section of a report: a heading, an optional subheading and its paragraphs. */
export interface ImportedSection {
  readonly heading: string;
  readonly subheading: string | null;
  readonly paragraphs: readonly string[];
}

/** A photo caption found in the text, kept out of the paragraphs. */
export interface Caption {
  readonly text: string;
  readonly credit: string | null;
}

/**
 * A plain-text newspaper report recognised as a structured article. The
 * first seven fields are the documented `import --json` shape; the rest is
 * metadata the page residue carried.
 */
export interface ImportedReport {
  readonly title: string;
  readonly kicker: string | null;
  readonly subtitle: string | null;
  readonly byline: readonly BylineEntry[];
  readonly lead: readonly string[];
  readonly sections: readonly ImportedSection[];
  readonly related: readonly string[];
  /** `zh-Hans` or `en`, guessed from the script of the text. */
  readonly lang: string;
  /** The agency marker before an inline byline: `本报讯`, `新华社北京11月26日电`. */
  readonly dateline: string | null;
  readonly originalTitle: string | null;
  readonly source: string | null;
  readonly editors: readonly BylineEntry[];
  readonly captions: readonly Caption[];
  /** Footer lines that are metadata but fit no field, such as `（完）`. */
  readonly notes: readonly string[];
}

/** A place where the importer had to guess: the line, and what it made of it. */
export interface ImportDoubt {
  readonly line: number;
  readonly message: string;
}

/** A non-empty line of the input with its 1-based line number. */
export interface SourceLine {
  readonly text: string;
  readonly line: number;
}
