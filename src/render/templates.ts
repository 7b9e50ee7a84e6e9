import path from 'node:path';
import nunjucks from 'nunjucks';
import { BroadsheetError } from '../diagnostics/error.js';

/** Renders a named template with a context; throws placed errors. */
export interface TemplateRenderer {
  render(name: string, context: Readonly<Record<string, unknown>>): string;
}

/**
 * Creates the Nunjucks environment for a templates folder: autoescaping on
 * (content and catalogue text are text, never markup), undefined values
 * render as empty, and errors name the template file and line.
 */
export function createTemplateRenderer(templatesDir: string): TemplateRenderer {
  const loader = new nunjucks.FileSystemLoader(templatesDir, { noCache: true });
  const environment = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
  return {
    render(name, context) {
      try {
        return environment.render(name, context);
      } catch (error) {
        throw toTemplateError(error, templatesDir, name);
      }
    },
  };
}

/**
 * Nunjucks reports `(file) [Line n, Column m]` inside its message text;
 * this turns that into a placed BroadsheetError. Errors thrown by our own
 * helpers (a missing catalogue key) pass through with the template's place added.
 */
function toTemplateError(error: unknown, templatesDir: string, name: string): BroadsheetError {
  const cause = error instanceof Error ? error : new Error(String(error));
  const inner = findBroadsheetError(cause);
  const match = /^\(([^)]*)\)(?:\s*\[Line (\d+), Column (\d+)\])?\s*([\s\S]*)$/.exec(cause.message);
  const templateFile = match?.[1] && match[1] !== 'unknown path' ? match[1] : path.join(templatesDir, name);
  const place = {
    file: path.relative(process.cwd(), path.resolve(templateFile)) || templateFile,
    line: match?.[2] ? Number(match[2]) : undefined,
    column: match?.[3] ? Number(match[3]) : undefined,
  };
  if (inner) return new BroadsheetError(inner.code, inner.message, { ...place, hint: inner.hint, cause });
  const message = (match?.[4] ?? cause.message).replace(/^Error:\s*/, '').split('\n')[0] ?? '';
  if (/template not found/i.test(message)) return new BroadsheetError('BS301', message, { ...place, cause });
  const code = /unexpected|expected|parse|unknown block|unknown filter|filter not found/i.test(message) ? 'BS302' : 'BS303';
  return new BroadsheetError(code, message, { ...place, cause });
}

// Nunjucks wraps errors thrown inside templates; the original travels as a property.
function findBroadsheetError(error: Error): BroadsheetError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof BroadsheetError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
