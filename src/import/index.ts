import { open, readFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError, isBroadsheetError } from '../diagnostics/error.js';
import { decodeReport, type TextEncoding } from '../text/decode.js';
import { toSourceLines } from './lines.js';
import { segmentReport } from './segment.js';
import { toMarkdown } from './to-markdown.js';
import type { ImportedReport } from './types.js';

export type { ImportedReport, ImportedSection, BylineEntry, Caption } from './types.js';

/** A report recognised from the bytes of one file, with the encoding it was in. */
export interface RecognisedReport {
  readonly report: ImportedReport;
  readonly encoding: TextEncoding;
}

/**
 * Recognises the structure of one plain-text report (pure: no I/O).
 *
 * @throws {BroadsheetError} when the bytes are not a readable report.
 */
export function recogniseReport(bytes: Uint8Array, file: string): RecognisedReport {
  const { text, encoding } = decodeReport(bytes, file);
  return { report: segmentReport(toSourceLines(text), file), encoding };
}

/** Options for {@link importFiles}. */
export interface ImportOptions {
  /** Folder the content files are written to. */
  readonly outDir: string;
  readonly force: boolean;
  /** Slug for the content file; only meaningful for a single input file. */
  readonly slug?: string;
}

/** What happened to one input file. */
export type ImportResult =
  | { readonly file: string; readonly ok: true; readonly report: ImportedReport; readonly written?: string }
  | { readonly file: string; readonly ok: false; readonly error: BroadsheetError };

/** Reads and recognises one file; a problem with it is returned, not thrown. */
export async function readReport(file: string): Promise<ImportResult> {
  try {
    const bytes = await readInput(file);
    return { file, ok: true, report: recogniseReport(bytes, file).report };
  } catch (error) {
    if (isBroadsheetError(error)) return { file, ok: false, error };
    throw error;
  }
}

/**
 * Imports each file into a Markdown content file in `outDir`. One bad file
 * does not stop the others; each result says what happened.
 */
export async function importFiles(files: readonly string[], options: ImportOptions): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const file of files) {
    const read = await readReport(file);
    if (!read.ok) {
      results.push(read);
      continue;
    }
    try {
      const written = await writeContentFile(file, read.report, options);
      results.push({ ...read, written });
    } catch (error) {
      if (!isBroadsheetError(error)) throw error;
      results.push({ file, ok: false, error });
    }
  }
  return results;
}

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder' : 'it cannot be read';
    throw new BroadsheetError('BS101', `cannot import ${file}: ${reason}`, { file, cause: error });
  }
}

/** A URL-safe slug from a file name: `000_27020f8cdf263a8a.txt` → `000_27020f8cdf263a8a`. */
export function slugFromFileName(file: string): string {
  const stem = path.basename(file).replace(/\.[^.]*$/, '');
  const slug = stem
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'report';
}

/**
 * Writes the content file next to nothing it would overwrite (unless forced),
 * through a temporary file and a rename so a crash never leaves half a file.
 */
async function writeContentFile(file: string, report: ImportedReport, options: ImportOptions): Promise<string> {
  const slug = options.slug ?? slugFromFileName(file);
  const target = path.join(options.outDir, `${slug}.md`);
  const markdown = toMarkdown(report, { sourceName: path.basename(file), slug: options.slug });
  await mkdir(options.outDir, { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(markdown, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!options.force && (await exists(target))) {
      throw new BroadsheetError('BS106', `${target} already exists`, { file: target });
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    if (isBroadsheetError(error)) throw error;
    throw new BroadsheetError('BS401', `cannot write ${target}`, { file: target, cause: error });
  }
  return target;
}

// Checking for the file's presence should not read what may be a large file.
async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
