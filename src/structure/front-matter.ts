import { z } from 'zod';
import { findLanguage, type Config } from '../model/config.js';
import { BroadsheetError, BroadsheetErrors } from '../diagnostics/error.js';
import type { ErrorCode } from '../diagnostics/codes.js';
import { formatPath, parsePlacedYaml, schemaErrors } from '../text/yaml.js';
import type { ArticleDate, ArticleMeta, FieldPositions } from '../model/article.js';
import { notPlainText } from '../text/plain-text.js';
import { segmentProblem } from './slug.js';

// A UTF-16 half without its other half: YAML's "\ud800" escape can make one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const text = z
  .string()
  .trim()
  .min(1)
  .refine((value) => notPlainText(value) === null && !LONE_SURROGATE.test(value), {
    message: 'holds a control character or half of a character, which no page or feed can carry',
  });
const credit = z.strictObject({ role: text.nullable().optional(), name: text });
const dateValue = z.union([z.string(), z.int()]);

/**
 * The front matter fields. Every field is documented in
 * docs/content-format.md; unknown fields are errors so that typos do not
 * pass silently.
 */
export const frontMatterSchema = z.strictObject({
  title: text,
  kicker: text.nullable().optional(),
  subtitle: text.nullable().optional(),
  date: dateValue.optional(),
  dateNote: text.optional(),
  lang: z.string().optional(),
  slug: z
    .string()
    .superRefine((slug, context) => {
      const problem = segmentProblem(slug);
      if (problem) context.addIssue({ code: 'custom', message: `a slug names a folder of the site: ${problem}` });
    })
    .optional(),
  byline: z.array(credit).optional(),
  authors: z.array(text).optional(),
  places: z.array(text).optional(),
  tags: z.array(text).optional(),
  source: text.optional(),
  dateline: text.optional(),
  originalTitle: text.optional(),
  editors: z.array(credit).optional(),
  captions: z.array(z.strictObject({ text, credit: text.nullable().optional() })).optional(),
  notes: z.array(text).optional(),
  related: z.array(text).optional(),
  importedFrom: text.optional(),
});

/** Validated front matter, plus the `related` teasers it may carry. */
export interface FrontMatter {
  readonly meta: ArticleMeta;
  readonly related: readonly string[];
  readonly positions: FieldPositions;
}

/**
 * Validates the YAML front matter of a content file. `firstLine` is the
 * file line the YAML text starts on, so errors point into the file.
 *
 * @throws {BroadsheetErrors} with one placed error per problem found.
 */
export function readFrontMatter(yamlText: string, file: string, firstLine: number, lang: string, config: Config): FrontMatter {
  const yaml = parsePlacedYaml(yamlText, file, firstLine, 'BS201');
  const parsed = frontMatterSchema.safeParse(yaml.value ?? {});
  if (!parsed.success) {
    throw new BroadsheetErrors(schemaErrors(parsed.error.issues, yaml, file, (issue) => describeIssue(issue, yaml.value)));
  }
  const data = parsed.data;
  const errors: BroadsheetError[] = [];
  const date = data.date === undefined ? null : parseArticleDate(data.date);
  if (date === undefined) {
    errors.push(new BroadsheetError('BS205', `"${String(data.date)}" is not a date that exists`, { file, ...yaml.locate(['date']) }));
  }
  if (data.lang !== undefined && findLanguage(config, data.lang)?.code !== lang) {
    const known = findLanguage(config, data.lang);
    errors.push(
      new BroadsheetError(
        'BS206',
        known ? `lang is "${data.lang}" but the file name says "${lang}"` : `lang "${data.lang}" is not a configured language`,
        { file, ...yaml.locate(['lang']) },
      ),
    );
  }
  if (errors.length > 0) throw new BroadsheetErrors(errors);
  const positions = { date: date ? yaml.locate(['date']) : null, slug: data.slug === undefined ? null : yaml.locate(['slug']) };
  return { meta: toMeta(data, date ?? null), related: data.related ?? [], positions };
}

type FrontMatterData = z.infer<typeof frontMatterSchema>;

function toMeta(data: FrontMatterData, date: ArticleDate | null): ArticleMeta {
  const byline = [
    ...(data.byline ?? []).map((entry) => ({ role: entry.role ?? null, name: entry.name })),
    ...(data.authors ?? []).map((name) => ({ role: null, name })),
  ];
  return {
    title: data.title,
    kicker: data.kicker ?? null,
    subtitle: data.subtitle ?? null,
    date,
    dateNote: data.dateNote ?? null,
    byline,
    places: data.places ?? [],
    tags: data.tags ?? [],
    source: data.source ?? null,
    dateline: data.dateline ?? null,
    originalTitle: data.originalTitle ?? null,
    editors: (data.editors ?? []).map((entry) => ({ role: entry.role ?? null, name: entry.name })),
    captions: (data.captions ?? []).map((caption) => ({ text: caption.text, credit: caption.credit ?? null })),
    notes: data.notes ?? [],
    importedFrom: data.importedFrom ?? null,
    slug: data.slug ?? null,
  };
}

/**
 * Reads `2019-11-26`, `2019-11` or `2019` (a YAML integer) as a date of
 * that precision; `undefined` when it is malformed or does not exist (2019-02-30).
 */
export function parseArticleDate(value: string | number): ArticleDate | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(value).trim());
  if (!match) return undefined;
  const [, year = '', month, day] = match;
  const check = new Date(Date.UTC(Number(year), Number(month ?? 1) - 1, Number(day ?? 1)));
  const exists =
    check.getUTCFullYear() === Number(year) &&
    check.getUTCMonth() + 1 === Number(month ?? 1) &&
    check.getUTCDate() === Number(day ?? 1);
  if (!exists) return undefined;
  const precision = day ? 'day' : month ? 'month' : 'year';
  return { iso: match[0], precision, sortKey: `${year}-${month ?? '01'}-${day ?? '01'}` };
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): { code: ErrorCode; message: string } {
  const field = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') return { code: 'BS204', message: `unknown field "${formatPath([...issue.path, ...issue.keys])}"` };
  if (issue.code === 'invalid_type' && valueAt(data, issue.path) === undefined) return { code: 'BS202', message: `"${field}" is required` };
  if (field === 'date') return { code: 'BS205', message: `date must be YYYY-MM-DD, YYYY-MM or YYYY` };
  return { code: 'BS203', message: `"${field}": ${issue.message}` };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
