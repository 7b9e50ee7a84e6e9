import { z } from 'zod';

/** A BCP 47 language tag as used in `lang` attributes: `zh-Hans`, `en`, `zh-Hant`. */
const languageTag = z.string().regex(/^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$/, 'a language tag such as zh-Hans or en');
const urlSegment = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and -');

/** Folders at the top of the site that broadsheet writes itself: no edition may be published there. */
export const RESERVED_TOP_FOLDERS = ['assets', 'sitemaps'] as const;

/** How an edition is generated from another instead of being written. */
const deriveSchema = z.strictObject({
  /** The language whose content is converted: for now Simplified Chinese (`zh-Hans`). */
  from: languageTag,
  /** OpenCC target: `tw` (Taiwan characters), `hk` (Hong Kong), `t` (OpenCC standard), `twp` (Taiwan with vocabulary). */
  variant: z.enum(['tw', 'hk', 't', 'twp']).default('tw'),
  /** Turn “double” and ‘single’ quotes into 「corner」 and 『corner』 brackets, as Traditional texts set them. */
  cornerQuotes: z.boolean().default(true),
  /** Terms the converter gets wrong: Simplified term → the Traditional form to print. */
  overrides: z.record(z.string().min(1), z.string().min(1)).default({}),
});

const languageSchema = z.strictObject({
  /** The language tag written into `<html lang>` and used in file names (`report.en.md`). */
  code: languageTag,
  /** The first URL segment of this edition: `/zh-hans/…`. Defaults to the lowercased code. */
  path: urlSegment.optional(),
  /** The name readers see in the language switcher, in that language. */
  name: z.string().min(1).optional(),
  /** The locale used to format dates and numbers. Defaults to the code. */
  locale: z.string().optional(),
  /** Generate this edition from another language's content at build time (no content files of its own). */
  derive: deriveSchema.optional(),
});

/** The site configuration as written in `broadsheet.yaml`. */
export const configSchema = z.strictObject({
  /** The site's name, per language code; a plain string means every language. */
  title: z.union([z.string().min(1), z.record(z.string(), z.string().min(1))]).default('broadsheet'),
  /** Absolute base URL of the published site; makes canonical links absolute. */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The editions. The first is the source language that translations are made from. */
  languages: z.array(languageSchema).min(1).default([{ code: 'zh-Hans' }]),
  /** Gazetteer files (relative to the configuration) naming the places recognised in texts. */
  gazetteers: z.array(z.string().min(1)).default([]),
  /** Items in each feed, newest first. */
  feedSize: z.int().min(1).max(1000).default(20),
  /** Feeds carry each article's full text, or only its lead as a summary. */
  feedContent: z.enum(['full', 'summary']).default('full'),
  /** Build a Pagefind full-text search index and a search page per language. */
  search: z.boolean().default(true),
  /**
   * Most article pages in one search bundle: a bigger content folder is split
   * into several. Pagefind's memory grows with the bundle it builds.
   */
  searchBundlePages: z.int().min(1).max(100_000).default(300),
  /** Articles per listing page. */
  pageSize: z.int().min(1).max(1000).default(20),
  /** Bounds on the work one content file may cause (see docs/safety.md). */
  limits: z
    .strictObject({
      /** Seconds one file may take to be parsed and structured, plus as many again per megabyte of it. */
      parseSeconds: z.number().positive().max(3600).default(2),
      /** A content file larger than this many kilobytes is built with a warning. */
      warnKilobytes: z.int().positive().default(1024),
      /** A content file larger than this many kilobytes is refused. */
      maxKilobytes: z.int().positive().default(4096),
    })
    .default({ parseSeconds: 2, warnKilobytes: 1024, maxKilobytes: 4096 }),
  /** Words per minute (Latin scripts) or characters per minute (Chinese) for reading time. */
  readingSpeed: z
    .strictObject({ characters: z.number().positive().default(400), words: z.number().positive().default(220) })
    .default({ characters: 400, words: 220 }),
});

/** The configuration as written, before defaults are resolved. */
export type ConfigInput = z.input<typeof configSchema>;
