import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError, BroadsheetErrors } from '../diagnostics/error.js';
import { formatPath, parsePlacedYaml, schemaErrors } from '../text/yaml.js';
import { loadGazetteers } from './gazetteer.js';
import type { Config, ContentLimits, GazetteerPlace } from '../model/config.js';
import { configSchema, RESERVED_TOP_FOLDERS } from './schema.js';

/**
 * How long a file of `bytes` may take to parse: the configured time, and as
 * much again per megabyte, so that a large but ordinary file is never cut
 * short on a slow machine while a small file that makes the parser go
 * quadratic is stopped in seconds.
 */
export function parseBudgetMs(limits: ContentLimits, bytes: number): number {
  return limits.parseMs * (1 + bytes / 1_048_576);
}

/** The configuration file looked for in the project folder. */
export const CONFIG_FILE = 'broadsheet.yaml';

const NATIVE_NAMES: Record<string, string> = {
  'zh-hans': '简体中文',
  'zh-hant': '繁體中文',
  en: 'English',
};

/**
 * Reads and validates the site configuration. A missing file means the
 * defaults (one Simplified Chinese edition).
 *
 * @throws {BroadsheetErrors} listing every problem in the file, each with its line and column.
 */
export async function loadConfig(file: string, required = false): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolveConfig(configSchema.parse({}), null, []);
    throw new BroadsheetError('BS501', `cannot read the configuration ${file}`, { file, cause: error });
  }
  const parsed = parseConfigText(text, file);
  const gazetteerFiles = parsed.gazetteers.map((name) => path.resolve(path.dirname(file), name));
  return resolveConfig(parsed, path.resolve(file), await loadGazetteers(gazetteerFiles), gazetteerFiles);
}

/** Validates configuration text (pure); gazetteer files are not read. */
export function parseConfig(text: string, file: string): Config {
  return resolveConfig(parseConfigText(text, file), path.resolve(file), []);
}

function parseConfigText(text: string, file: string): ConfigData {
  const yaml = parsePlacedYaml(text, file, 1, 'BS501');
  // An empty file is more likely a mistake (a failed copy, an unsaved editor) than a wish for the defaults,
  // which a missing file gives: say so rather than build a site the user did not describe.
  if (yaml.value === null || yaml.value === undefined) {
    throw new BroadsheetError('BS501', `the configuration ${file} is empty`, {
      file,
      line: 1,
      column: 1,
      hint: 'Write the settings into it (broadsheet init writes a commented one), or delete it to build with the defaults.',
    });
  }
  const parsed = configSchema.safeParse(yaml.value);
  if (!parsed.success) {
    throw new BroadsheetErrors(
      schemaErrors(parsed.error.issues, yaml, file, (issue) => ({
        code: 'BS501',
        message:
          issue.code === 'unrecognized_keys'
            ? `unknown setting "${formatPath([...issue.path, ...issue.keys])}"`
            : `setting "${formatPath(issue.path)}": ${issue.message}`,
      })),
    );
  }
  const problems = [...checkLanguages(parsed.data.languages), ...checkLimits(parsed.data.limits)].map(
    ({ index, field, message }) => new BroadsheetError('BS501', message, { file, ...yaml.locate(index === null ? ['limits', field] : ['languages', index, field]) }),
  );
  if (problems.length > 0) throw new BroadsheetErrors(problems);
  return parsed.data;
}

type ConfigData = ReturnType<typeof configSchema.parse>;

/** The warning size must not be above the refusal size. */
function checkLimits(limits: ConfigData['limits']): CrossFieldProblem[] {
  if (limits.warnKilobytes <= limits.maxKilobytes) return [];
  return [{ index: null, field: 'warnKilobytes', message: `warnKilobytes (${limits.warnKilobytes}) is above maxKilobytes (${limits.maxKilobytes})` }];
}

type LanguageInput = ReturnType<typeof configSchema.parse>['languages'][number];

/** A problem the schema cannot express: of the language at `index`, or of the limits when the index is null. */
interface CrossFieldProblem {
  readonly index: number | null;
  readonly field: string;
  readonly message: string;
}

/** Cross-field rules the schema cannot express: unique codes and paths, paths of their own, sound derivations. */
function checkLanguages(languages: readonly LanguageInput[]): CrossFieldProblem[] {
  const problems: CrossFieldProblem[] = [];
  const codes = languages.map((language) => language.code.toLowerCase());
  const paths = languages.map((language) => (language.path ?? language.code).toLowerCase());
  languages.forEach((language, index) => {
    const urlPath = paths[index] ?? '';
    if (codes.indexOf(codes[index] ?? '') !== index) problems.push({ index, field: 'code', message: `language "${language.code}" is listed twice` });
    if (paths.indexOf(urlPath) !== index) problems.push({ index, field: 'path', message: `two languages use the URL path "${urlPath}"` });
    if ((RESERVED_TOP_FOLDERS as readonly string[]).includes(urlPath)) {
      const field = language.path ? 'path' : 'code';
      problems.push({ index, field, message: `the URL path "${urlPath}" is broadsheet's own /${urlPath}/ folder; give the language another path` });
    }
    if (!language.derive) return;
    const from = languages.find((other) => other.code.toLowerCase() === language.derive?.from.toLowerCase());
    if (index === 0) problems.push({ index, field: 'derive', message: 'the first language is the source and cannot be derived' });
    else if (!from || from.derive) problems.push({ index, field: 'derive', message: `"${language.derive.from}" is not a written language of this site` });
    else if (!/^zh(-hans|-cn)?$/i.test(from.code)) problems.push({ index, field: 'derive', message: 'only Simplified Chinese can be converted (to Traditional)' });
  });
  return problems;
}

function resolveConfig(data: ConfigData, file: string | null, gazetteer: readonly GazetteerPlace[], gazetteerFiles: readonly string[] = []): Config {
  const languages = data.languages.map((language) => ({
    code: language.code,
    path: language.path ?? language.code.toLowerCase(),
    name: language.name ?? NATIVE_NAMES[language.code.toLowerCase()] ?? language.code,
    locale: language.locale ?? language.code,
    derive: language.derive ?? null,
  }));
  const titles =
    typeof data.title === 'string'
      ? Object.fromEntries(languages.map((language) => [language.code, data.title as string]))
      : data.title;
  const [sourceLanguage] = languages;
  if (!sourceLanguage) throw new Error('Internal error: the schema guarantees one language');
  return Object.freeze({
    file,
    titles: Object.freeze({ ...titles }),
    baseUrl: data.baseUrl ? data.baseUrl.replace(/\/?$/, '/') : null,
    languages: Object.freeze(languages),
    sourceLanguage,
    readingSpeed: data.readingSpeed,
    pageSize: data.pageSize,
    gazetteer,
    gazetteerFiles,
    feedSize: data.feedSize,
    feedContent: data.feedContent,
    search: data.search,
    searchBundlePages: data.searchBundlePages,
    limits: Object.freeze({ parseMs: data.limits.parseSeconds * 1000, warnBytes: data.limits.warnKilobytes * 1024, maxBytes: data.limits.maxKilobytes * 1024 }),
  });
}

