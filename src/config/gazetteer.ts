import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { BroadsheetError, BroadsheetErrors } from '../diagnostics/error.js';
import { formatPath, parsePlacedYaml, schemaErrors } from '../text/yaml.js';
import type { GazetteerPlace } from '../model/config.js';

const placeSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and -'),
  names: z.record(z.string(), z.string().trim().min(1)),
  aliases: z.array(z.string().trim().min(1)).default([]),
});
const gazetteerSchema = z.array(placeSchema);

/**
 * Reads gazetteer files: lists of places with their names per language.
 *
 * @throws {BroadsheetErrors} BS501 for a file that cannot be read or does not fit the format.
 */
export async function loadGazetteers(files: readonly string[]): Promise<GazetteerPlace[]> {
  const places: GazetteerPlace[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new BroadsheetError('BS501', `cannot read the gazetteer ${file}`, { file, cause: error });
    }
    const yaml = parsePlacedYaml(text, file, 1, 'BS501');
    const parsed = gazetteerSchema.safeParse(yaml.value ?? []);
    if (!parsed.success) {
      throw new BroadsheetErrors(
        schemaErrors(parsed.error.issues, yaml, file, (issue) => ({ code: 'BS501', message: `gazetteer "${formatPath(issue.path)}": ${issue.message}` })),
      );
    }
    for (const place of parsed.data) {
      places.push({ id: place.id, names: place.names, matches: [...Object.values(place.names), ...place.aliases] });
    }
  }
  return places;
}
