import { link, open, readFile, mkdir, rename, rm, stat } from 'node:fs/promises';

// What link() fails with where a file system has no hard links.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);
import path from 'node:path';
import { BroadsheetError, isBroadsheetError } from '../diagnostics/error.js';
import { decodeReport, type TextEncoding } from '../text/decode.js';
import { toSourceLines } from './lines.js';
import { segmentReport } from './segment.js';
import { slugFromTitle } from './slug.js';
import { toMarkdown } from './to-markdown.js';
import type { ImportedReport } from './types.js';

export type { ImportedReport, ImportedSection, BylineEntry, Caption } from './types.js';

/** A report recognised from the bytes of one file, with the encoding it was in and where the recognition guessed. */
export interface RecognisedReport {
  readonly report: ImportedReport;
  readonly encoding: TextEncoding;
  /** BS107 warnings, one per guess. */
  readonly doubts: readonly BroadsheetError[];
}

/**
 * Recognises the structure of one plain-text report (pure: no I/O).
 *
 * @throws {BroadsheetError} when the bytes are not a readable report.
 */
export function recogniseReport(bytes: Uint8Array, file: string): RecognisedReport {
  const { text, encoding } = decodeReport(bytes, file);
  const { report, doubts } = segmentReport(toSourceLines(text), file);
  return { report, encoding, doubts: doubts.map((doubt) => new BroadsheetError('BS107', doubt.message, { file, line: doubt.line, severity: 'warning' })) };
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
  | { readonly file: string; readonly ok: true; readonly report: ImportedReport; readonly doubts: readonly BroadsheetError[]; readonly written?: string }
  | { readonly file: string; readonly ok: false; readonly error: BroadsheetError };

/** Reads and recognises one file; a problem with it is returned, not thrown. */
export async function readReport(file: string): Promise<ImportResult> {
  try {
    const bytes = await readInput(file);
    const { report, doubts } = recogniseReport(bytes, file);
    return { file, ok: true, report, doubts };
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
  // Named after the title, so the archive's addresses read as the reports do; the file's own name is the last resort.
  const slug = options.slug ?? slugFromTitle(report.title) ?? slugFromFileName(file);
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
    if (options.force) await rename(temporary, target);
    // A hard link never replaces a file: one that appears meanwhile is refused, not overwritten.
    else await link(temporary, target).catch(async (error: NodeJS.ErrnoException) => {
      const exists = (): BroadsheetError => new BroadsheetError('BS106', `cannot import ${file}: ${target} already exists`, { file: target });
      if (error.code === 'EEXIST') throw exists();
      if (!NO_HARD_LINKS.has(error.code ?? '')) throw error;
      // A file system without hard links: look, then rename.
      if (await stat(target).then(() => true, () => false)) throw exists();
      await rename(temporary, target);
    });
  } catch (error) {
    await rm(temporary, { force: true });
    if (isBroadsheetError(error)) throw error;
    throw new BroadsheetError('BS401', `cannot write ${target}`, { file: target, cause: error });
  }
  // After a link the temporary name is a second name of the same file.
  await rm(temporary, { force: true });
  return target;
}

