/**
 * What may name a folder of the built site. Output paths come from content
 * file names, front matter slugs and tag names; each part is checked here so
 * that none can climb out of the output folder (`..`, `/`, `\`), hide a
 * look-alike character (Cyrillic а for Latin a), collide on a
 * case-insensitive disk, or break on Windows (`con`, `aux`, `lpt1`).
 */

/** Longest path part, well under every file system's limit of 255 bytes. */
export const MAX_SEGMENT_LENGTH = 80;

const SEGMENT = /^[a-z0-9][a-z0-9_-]*$/;
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** Why `segment` cannot be part of an output path, or null when it can. */
export function segmentProblem(segment: string): string | null {
  if (segment.length === 0) return 'it is empty';
  if (segment.length > MAX_SEGMENT_LENGTH) return `it is longer than ${MAX_SEGMENT_LENGTH} characters`;
  if (!SEGMENT.test(segment)) return 'only lowercase letters a–z, digits, - and _ are allowed, starting with a letter or digit';
  if (WINDOWS_RESERVED.test(segment)) return `"${segment}" is a reserved device name on Windows`;
  return null;
}

/** Makes a term's slug safe when it is a reserved name, by a suffix that keeps it readable. */
export function avoidReserved(slug: string): string {
  return WINDOWS_RESERVED.test(slug) ? `${slug}_` : slug;
}
