import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import { formatPath, parsePlacedYaml, schemaErrors } from '../load/yaml.js';
import { BroadsheetErrors } from '../diagnostics/error.js';
import { configSchema } from './schema.js';

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
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolveConfig(configSchema.parse({}), null);
    throw new BroadsheetError('BS501', `cannot read the configuration ${file}`, { file, cause: error });
  }
  return parseConfig(text, file);
}

/** Validates configuration text (pure). */
export function parseConfig(text: string, file: string): Config {
  const yaml = parsePlacedYaml(text, file, 1, 'BS501');
  const parsed = configSchema.safeParse(yaml.value ?? {});
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
  const codes = parsed.data.languages.map((language) => language.code.toLowerCase());
  const duplicate = codes.find((code, index) => codes.indexOf(code) !== index);
  if (duplicate) {
    throw new BroadsheetError('BS501', `language "${duplicate}" is listed twice`, { file, ...yaml.locate(['languages']) });
  }
  return resolveConfig(parsed.data, path.resolve(file));
}

function resolveConfig(data: ReturnType<typeof configSchema.parse>, file: string | null): Config {
  const languages = data.languages.map((language) => ({
    code: language.code,
    path: language.path ?? language.code.toLowerCase(),
    name: language.name ?? NATIVE_NAMES[language.code.toLowerCase()] ?? language.code,
    locale: language.locale ?? language.code,
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
  });
}

/** The language with this code (case-insensitive), if configured. */
export function findLanguage(config: Config, code: string): Language | undefined {
  const lower = code.toLowerCase();
  return config.languages.find((language) => language.code.toLowerCase() === lower);
}
