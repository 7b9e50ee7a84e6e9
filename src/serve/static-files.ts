import { realpath, stat } from 'node:fs/promises';
import { unlessMissing } from '../text/absent.js';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
};

/** The Content-Type header for a file name. */
export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** What a request path resolves to inside the served folder. */
export type Resolution =
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'bad-request' };

/**
 * Maps a raw request path to a file inside `root`, refusing anything that
 * could leave it: NUL bytes, backslashes, `..` segments (also percent-encoded,
 * once or twice), and symbolic links that point outside. Clean URLs:
 * `/a/` serves `/a/index.html`, `/a` redirects to `/a/` when that exists.
 */
export async function resolveRequestPath(root: string, rawPath: string): Promise<Resolution> {
  const decoded = safeDecode(rawPath);
  if (decoded === null || !decoded.startsWith('/')) return { kind: 'bad-request' };
  // Still encoded after one decoding: double encoding, which no page of ours uses.
  if (/%(?:2e|2f|5c|00)/i.test(decoded) || /[\0\\]/.test(decoded)) return { kind: 'bad-request' };
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) return { kind: 'bad-request' };
  const realRoot = await realpath(root);
  const candidate = path.join(realRoot, ...segments);
  const info = await unlessMissing(stat(candidate));
  if (info?.isDirectory()) {
    // Slashes are collapsed: `//en` must not become `//en/`, which a browser reads as the host `en`.
    if (!decoded.endsWith('/')) return { kind: 'redirect', location: `${encodeURI(decoded.replace(/\/{2,}/g, '/'))}/` };
    return insideRoot(realRoot, path.join(candidate, 'index.html'));
  }
  if (info?.isFile()) return insideRoot(realRoot, candidate);
  return { kind: 'not-found' };
}

async function insideRoot(root: string, file: string): Promise<Resolution> {
  const real = await unlessMissing(realpath(file));
  if (real === null) return { kind: 'not-found' };
  return real === root || real.startsWith(root + path.sep) ? { kind: 'file', file: real } : { kind: 'not-found' };
}

function safeDecode(rawPath: string): string | null {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return null;
  }
}
