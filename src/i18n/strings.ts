import type { Catalogue } from '../model/catalogue.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findLanguage, type Config } from '../model/config.js';
import { BroadsheetError } from '../diagnostics/error.js';
import { parsePlacedYaml } from '../text/yaml.js';
import { deriveCatalogue, type ConverterLookup } from './derive.js';
import { layeredFiles, type TemplateLayers } from '../load/template-layers.js';

/** Folder inside the templates folder that holds one `<code>.yaml` catalogue per language. */
export const CATALOGUE_FOLDER = 'i18n';

/**
 * Loads the interface string catalogue of every configured language.
 * Nested maps are flattened to dotted keys (`article.related`).
 *
 * @throws {BroadsheetError} BS304 when a catalogue is missing or not a map of strings.
 */
export async function loadCatalogues(layers: TemplateLayers, config: Config, converters: ConverterLookup = new Map()): Promise<Map<string, Catalogue>> {
  const catalogues = new Map<string, Catalogue>();
  const files = await layeredFiles(layers, CATALOGUE_FOLDER);
  const own = layers.folders[0] ?? '.';
  for (const language of config.languages) {
    const file = files.get(`${language.code}.yaml`) ?? path.join(own, CATALOGUE_FOLDER, `${language.code}.yaml`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      // A derived edition may do without a catalogue: its text is converted from the source's.
      const convert = converters.get(language.code);
      const source = language.derive ? catalogues.get(findLanguage(config, language.derive.from)?.code ?? '') : undefined;
      if (convert && source && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        catalogues.set(language.code, deriveCatalogue(source, language, convert));
        continue;
      }
      throw new BroadsheetError('BS304', `no string catalogue for ${language.code}`, {
        file,
        cause: error,
        hint: `Create ${file} with the interface text in ${language.name}.`,
      });
    }
    catalogues.set(language.code, parseCatalogue(text, file, language.code));
  }
  return catalogues;
}

/** Validates one catalogue (pure). */
export function parseCatalogue(text: string, file: string, lang: string): Catalogue {
  const yaml = parsePlacedYaml(text, file, 1, 'BS304');
  const strings = new Map<string, string>();
  const visit = (value: unknown, prefix: string[]): void => {
    if (typeof value === 'string') strings.set(prefix.join('.'), value);
    else if (typeof value === 'number') strings.set(prefix.join('.'), String(value));
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) visit(inner, [...prefix, key]);
    } else {
      throw new BroadsheetError('BS304', `"${prefix.join('.')}" must be text`, { file, ...yaml.locate(prefix) });
    }
  };
  visit(yaml.value ?? {}, []);
  return { lang, file, strings };
}

/**
 * Looks up `key` in the catalogue and fills `{name}` placeholders.
 *
 * @throws {BroadsheetError} BS305 when the key is missing.
 */
export function translate(catalogue: Catalogue, key: string, params: Readonly<Record<string, unknown>> = {}): string {
  const template = catalogue.strings.get(key);
  if (template === undefined) {
    throw new BroadsheetError('BS305', `the ${catalogue.lang} string catalogue has no key "${key}"`, {
      file: catalogue.file,
      hint: `Add "${key}" to ${catalogue.file}.`,
    });
  }
  // Most strings have no placeholder; a page looks up dozens.
  if (!template.includes('{')) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
