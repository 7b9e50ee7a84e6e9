import { readFile } from 'node:fs/promises';
import { unlessMissing } from '../../text/absent.js';
import { loadConfig } from '../../config/load-config.js';
import { BroadsheetError, toBroadsheetErrors } from '../../diagnostics/error.js';
import { digest } from '../../digest.js';
import { checkCatalogueKeys } from '../../i18n/check-keys.js';
import { Converters } from '../../i18n/derive.js';
import { loadCatalogues } from '../../i18n/strings.js';
import { searchFoldFiles } from '../../i18n/search-fold.js';
import type { Catalogue } from '../../model/catalogue.js';
import { loadAssets } from '../../load/assets.js';
import { resolveTemplateLayers, type TemplateLayers } from '../../load/template-layers.js';
import type { BuildOptions } from '../../model/build.js';
import type { Config } from '../../model/config.js';
import { readTemplateSet } from '../../render/template-set.js';
import { compileAllTemplates, createTemplateRenderer } from '../../render/templates.js';
import { VERSION } from '../../version.js';
import { guardFolder } from '../../write/folder-guard.js';
import { scriptTableStore } from '../script-tables.js';
import { noSources, type InputState, type Templates } from '../state.js';

/**
 * Reads the configuration. Everything read before depends on it, so the
 * inputs start over: no templates and no sources.
 */
export async function readConfiguration(configFile: string, cacheDir: string | null = null): Promise<InputState> {
  try {
    const config = await loadConfig(configFile);
    // A missing file means the defaults, whose text is empty.
    const text = await unlessMissing(readFile(configFile, 'utf8'), '');
    const converters = new Converters(config.languages, cacheDir ? scriptTableStore(cacheDir) : undefined);
    return { config, configErrors: [], siteHash: digest(VERSION, text), converters, templates: null, sources: noSources };
  } catch (error) {
    return { config: null, configErrors: toBroadsheetErrors(error), siteHash: '', converters: new Converters([]), templates: null, sources: noSources };
  }
}

/**
 * Reads the template layers, the catalogues and the assets, and checks them.
 * `previous`, the templates read last under the same configuration, lends
 * what depends on the configuration alone.
 */
export async function loadTemplates(
  options: Pick<BuildOptions, 'templatesDir' | 'templatesRequired'>,
  config: Config,
  converters: Converters,
  previous: Templates | null = null,
): Promise<Templates> {
  const errors: BroadsheetError[] = [];
  let layers: TemplateLayers;
  try {
    layers = await resolveTemplateLayers(options.templatesDir, options.templatesRequired ?? false);
  } catch (error) {
    // A missing templates folder is the one problem to report: everything else would only repeat it.
    layers = { folders: [], project: null };
    errors.push(...toBroadsheetErrors(error));
  }
  const found = errors.length === 0;
  let catalogues = new Map<string, Catalogue>();
  if (found) {
    try {
      catalogues = await loadCatalogues(layers, config, converters);
    } catch (error) {
      errors.push(...toBroadsheetErrors(error));
    }
  }
  const renderer = createTemplateRenderer(layers);
  if (found) errors.push(...(await compileAllTemplates(renderer, layers).catch((error: unknown) => toBroadsheetErrors(error))));
  if (errors.length === 0) errors.push(...(await checkCatalogueKeys(layers, catalogues)));
  // The search pages' fold tables depend on the configuration alone, and take tens of milliseconds to work out:
  // a template edit in watch mode keeps the last ones.
  const foldFiles = !config.search ? [] : previous?.context.config === config ? previous.foldFiles : searchFoldFiles(config, converters);
  return {
    context: { config, catalogues, templates: renderer, stylesheet: '/assets/style.css' },
    layers,
    // The fold tables go with the assets: files of the site that no page renders.
    assets: found ? [...(await loadAssets(layers)), ...foldFiles] : [],
    foldFiles,
    set: await readTemplateSet(layers),
    catalogueHashes: new Map([...catalogues].map(([code, catalogue]) => [code, digest(JSON.stringify([...catalogue.strings]))])),
    errors,
  };
}

/** Refuses output and cache folders that would take the user's own files with them (see write/folder-guard.ts). */
export function guardFolders(options: BuildOptions): BroadsheetError[] {
  const { outDir, cacheDir, contentDir, templatesDir, configFile } = options;
  try {
    guardFolder(outDir, 'output', { contentDir, templatesDir, configFile });
    if (cacheDir) guardFolder(cacheDir, 'cache', { contentDir, templatesDir, configFile });
    return [];
  } catch (error) {
    return [...toBroadsheetErrors(error)];
  }
}
