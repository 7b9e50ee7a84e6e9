import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../diagnostics/error.js';
import type { Catalogue } from '../model/catalogue.js';
import { layeredFiles, type TemplateLayers } from '../load/template-layers.js';

// `t("article.related")` or `t('article.related', {...})` with a literal key.
const KEY_CALL = /\bt\(\s*(["'])([\w.-]+)\1\s*[,)]/g;

/**
 * Checks every literal `t("key")` in the templates against every language's
 * catalogue, so a missing key is reported at the template line that uses it,
 * for every language at once, before anything is rendered.
 */
export async function checkCatalogueKeys(layers: TemplateLayers, catalogues: ReadonlyMap<string, Catalogue>): Promise<BroadsheetError[]> {
  const files = [...(await layeredFiles(layers, '', (name) => name.endsWith('.njk'))).values()];
  const errors: BroadsheetError[] = [];
  for (const file of files) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    for (const [index, text] of lines.entries()) {
      for (const match of text.matchAll(KEY_CALL)) {
        const key = match[2] ?? '';
        for (const catalogue of catalogues.values()) {
          if (catalogue.strings.has(key)) continue;
          errors.push(
            new BroadsheetError('BS305', `the ${catalogue.lang} string catalogue has no key "${key}"`, {
              file: path.relative(process.cwd(), file) || file,
              line: index + 1,
              column: (match.index ?? 0) + 1,
              hint: `Add "${key}" to ${path.relative(process.cwd(), catalogue.file) || catalogue.file}.`,
            }),
          );
        }
      }
    }
  }
  return errors;
}
