import type { BroadsheetError } from '../diagnostics/error.js';
import { Converters } from '../i18n/derive.js';
import type { SkippedEntry } from '../load/scan.js';
import type { Archive } from '../model/archive.js';
import type { Config } from '../model/config.js';
import type { OutputFile, PagePlan } from '../model/page.js';
import type { SourceRecord } from './compile/sources.js';
import type { OutputManifest } from './manifest.js';
import type { RenderContext } from '../render/pages.js';
import type { TemplateSet } from '../render/template-set.js';
import type { TemplateLayers } from '../load/template-layers.js';

/**
 * What a build knows between builds, as one value. A build reads the
 * previous state and a change set, and its steps return new parts; the
 * builder puts them together into the next state. Nothing here is changed
 * in place — but for one handover: once a write succeeded, the output state
 * it replaces is dead, and its map of page records and its stamps become
 * the next one's (see `nextPages` and `stampsAfter` in builder.ts), so that
 * a rebuild after one edit does not copy a record per page of the site.
 *
 *
 * - `inputs`, what was read from the project, is replaced by every build,
 *   whether it succeeds or not: a file read once need not be read again
 *   after a later file fails.
 * - `output`, what the output folder holds, is replaced only after a
 *   successful write: a failed build leaves the last written site, and the
 *   next build starts from it.
 */
export interface BuildState {
  readonly inputs: InputState;
  /** Null until a build was written in this process or a previous run's record was read. */
  readonly output: OutputState | null;
  /** The previous run's record of the inputs, until the first build of this process has used it. */
  readonly previousRun: PreviousRun | null;
}

/** What was read from the project. */
export interface InputState {
  /** Null when the configuration could not be read; `configErrors` say why. */
  readonly config: Config | null;
  readonly configErrors: readonly BroadsheetError[];
  /** A digest of the configuration file and broadsheet's version, in every page's signature. */
  readonly siteHash: string;
  /** The converters of the derived editions, made when first asked for (see i18n/derive.ts). */
  readonly converters: Converters;
  readonly templates: Templates | null;
  readonly sources: SourcesState;
}

/** The content folder as the last look at it found it. */
export interface SourcesState {
  /** The content folder, resolved; null until it was listed. */
  readonly root: string | null;
  /** Every content file, by content-relative path. */
  readonly files: ReadonlyMap<string, SourceRecord>;
  /** Entries that are not read (links, nameless files), by content-relative path. */
  readonly skipped: ReadonlyMap<string, SkippedEntry>;
  /** Translation keys whose files changed since the output was written, or `all` after a full look. */
  readonly changed: ReadonlySet<string> | 'all';
}

/** What one page of the output is, for the next build to compare with. */
export interface OutputRecord {
  /** Null for a page known only from a previous run's record. */
  readonly plan: PagePlan | null;
  readonly signature: string;
  /** The digest of its plan (see signature.ts), kept while the plan is; absent in a previous run's record. */
  readonly planDigest?: string;
  readonly hash: string;
  /** For an article page, the digest of what the search index reads of it (see search/indexed-text.ts). */
  readonly indexed?: string;
}

/** What the output folder holds after the last successful write. */
export interface OutputState {
  /** The archive it was made from; null when it is known only from a previous run's record. */
  readonly archive: Archive | null;
  readonly pages: ReadonlyMap<string, OutputRecord>;
  /** Content hash per asset path. */
  readonly assets: ReadonlyMap<string, string>;
  /**
   * The listing and site-file plans, kept by watch mode so that an edit of
   * articles' text alone need not plan them again; null when not kept.
   */
  readonly listings: readonly PagePlan[] | null;
  readonly siteFiles: readonly PagePlan[] | null;
  /** The templates its signatures were computed with; other templates mean other signatures. */
  readonly signedWith: Templates | null;
  /** The digest of the configuration's part of its signatures (see signature.ts), with `signedWith`. */
  readonly signedSite: string | null;
  /** The text of its ownership marker (see write/ownership.ts); null until known. */
  readonly marker: string | null;
  /**
   * The stamps of the inputs it was made from, each taken before the file
   * was read (see manifest.ts), for the record a watch session leaves when
   * it ends; null when not known (no cache, or a configuration edited in
   * the session, whose gazetteers may be other files).
   */
  readonly stamps: Readonly<Record<string, string>> | null;
}

/** What a previous run's record says of the inputs and the archive. */
export interface PreviousRun {
  /** Stamps of every input file, as that run found them. */
  readonly stamps: Readonly<Record<string, string>>;
  /** Text digest per content file (absolute path). */
  readonly sources: ReadonlyMap<string, string>;
  /** Face digest per translation key (see steps/record.ts). */
  readonly faces: ReadonlyMap<string, string>;
}

/** The templates, catalogues and assets a build renders with. */
export interface Templates {
  readonly context: RenderContext;
  /** The folders the templates are read from, for the render workers to read them too. */
  readonly layers: TemplateLayers;
  /** The files of `templates/assets/`, read with the templates (a stylesheet edit is a template change), and the search pages' fold tables. */
  readonly assets: readonly OutputFile[];
  /** The search pages' fold tables alone (see i18n/search-fold.ts), to be kept by the next template reload. */
  readonly foldFiles: readonly OutputFile[];
  readonly set: TemplateSet;
  readonly catalogueHashes: ReadonlyMap<string, string>;
  /** Problems found in them: a build with any renders nothing. */
  readonly errors: readonly BroadsheetError[];
}

export const noSources: SourcesState = { root: null, files: new Map(), skipped: new Map(), changed: 'all' };

/** The state before a first build: nothing read, and the output a previous run's record describes, if any. */
export function initialState(record: OutputManifest | null): BuildState {
  const inputs: InputState = { config: null, configErrors: [], siteHash: '', converters: new Converters([]), templates: null, sources: noSources };
  if (!record) return { inputs, output: null, previousRun: null };
  return {
    inputs,
    output: {
      archive: null,
      pages: new Map(record.outputs.map(([url, signature, hash, indexed]) => [url, { plan: null, signature, hash, indexed }])),
      assets: new Map(record.assets),
      listings: null,
      siteFiles: null,
      signedWith: null,
      signedSite: null,
      marker: null,
      stamps: null,
    },
    previousRun: { stamps: record.stamps, sources: new Map(record.sources), faces: new Map(record.faces) },
  };
}
