import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { contentType, resolveRequestPath } from './static-files.js';
import { RELOAD_CLIENT } from './reload-client.js';
import { ReloadLog } from './reload-log.js';

/** Options for {@link startServer}. */
export interface ServerOptions {
  /** The folder served: the build output. */
  readonly root: string;
  readonly port: number;
  /** Loopback by default: a development server is not for the network. */
  readonly host?: string;
  /** Adds the live-reload script to HTML responses and serves the event stream. */
  readonly liveReload: boolean;
  /** Try the following ports when the asked one is busy. */
  readonly portAttempts?: number;
}

/** What live-reload clients are told after a build. */
export type ServerEvent =
  | { readonly type: 'reload'; readonly pages: readonly string[]; readonly assets: readonly string[] }
  | { readonly type: 'failed'; readonly errors: readonly { readonly text: string }[] };

/** A running server. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Sends a rebuild event to every connected browser. */
  notify(event: ServerEvent): void;
  close(): Promise<void>;
}

const EVENTS_PATH = '/__broadsheet/events';
const CLIENT_PATH = '/__broadsheet/reload.js';
/**
 * The Content-Security-Policy a broadsheet site works under, and the one the
 * docs recommend for publishing (docs/publishing.md): nothing inline may run, scripts and styles
 * come from the site itself, and WebAssembly may compile for Pagefind's search.
 * The dev server sends it too, so a template that breaks it shows at once.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
};

/**
 * Serves the output folder on loopback with clean URLs, correct content
 * types, the site's 404 page, and (in dev) live reload over Server-Sent
 * Events. A busy port is skipped for the next free one.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const live: LiveReloadState = { clients: new Set(), lastFailure: null, log: new ReloadLog() };
  const server = createServer((request, response) => {
    // A request that fails past its checks (a file gone mid-read) gets a 500; the server goes on serving the others.
    handle(request, response, options, live).catch(() => {
      if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
      response.end();
    });
  });
  const port = await listen(server, options.port, options.host ?? '127.0.0.1', options.portAttempts ?? 20);
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    notify(event) {
      live.lastFailure = event.type === 'failed' ? event : null;
      const message = event.type === 'reload' ? reloadMessage(live.log.record(event), event.pages, event.assets) : failedMessage(event);
      for (const client of live.clients) client.write(message);
    },
    async close() {
      for (const client of live.clients) client.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive and event-stream connections would otherwise hold close() open.
      server.closeAllConnections();
      await closed;
    },
  };
}

async function listen(server: Server, port: number, host: string, attempts: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const candidate = port === 0 ? 0 : port + attempt;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(candidate, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      return typeof address === 'object' && address ? address.port : candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt + 1 >= attempts || port === 0) throw error;
    }
  }
}

/** What the live-reload side of the server keeps between requests. */
interface LiveReloadState {
  readonly clients: Set<ServerResponse>;
  lastFailure: ServerEvent | null;
  readonly log: ReloadLog;
}

function reloadMessage(position: string, pages: readonly string[], assets: readonly string[]): string {
  return `id: ${position}\nevent: reload\ndata: ${JSON.stringify({ type: 'reload', pages, assets })}\n\n`;
}

function failedMessage(event: ServerEvent): string {
  return `event: failed\ndata: ${JSON.stringify(event)}\n\n`;
}

async function handle(request: IncomingMessage, response: ServerResponse, options: ServerOptions, live: LiveReloadState): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' }).end();
    return;
  }
  const [rawPath = '/', query = ''] = (request.url ?? '/').split('?');
  if (options.liveReload && rawPath === EVENTS_PATH) return openEventStream(request, response, query, live);
  if (options.liveReload && rawPath === CLIENT_PATH) {
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : RELOAD_CLIENT);
    return;
  }
  // Taken before the file is read: a rebuild landing meanwhile then counts as missed, never as seen.
  const servedAt = options.liveReload ? live.log.position : null;
  const resolution = await resolveRequestPath(options.root, rawPath);
  if (resolution.kind === 'bad-request') {
    response.writeHead(400, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad request\n');
  } else if (resolution.kind === 'redirect') {
    response.writeHead(301, { ...SECURITY_HEADERS, Location: resolution.location }).end();
  } else if (resolution.kind === 'file') {
    await sendFile(request, response, resolution.file, 200, servedAt);
  } else {
    await sendNotFound(request, response, options, rawPath, servedAt);
  }
}

/** Sends a file; `servedAt`, in dev, is the rebuild the page is current with, and adds the live-reload script to HTML. */
async function sendFile(request: IncomingMessage, response: ServerResponse, file: string, status: number, servedAt: string | null): Promise<void> {
  let body: Buffer | string = await readFile(file);
  const type = contentType(file);
  if (servedAt !== null && type.startsWith('text/html')) body = injectClient(body.toString('utf8'), servedAt);
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** The site's 404 page for the request's edition (`/en/404.html`), else the root one, else plain text. */
async function sendNotFound(request: IncomingMessage, response: ServerResponse, options: ServerOptions, rawPath: string, servedAt: string | null): Promise<void> {
  const edition = /^\/([a-z0-9-]+)\//i.exec(rawPath)?.[1];
  for (const candidate of [edition ? `/${edition}/404.html` : null, '/404.html']) {
    if (!candidate) continue;
    const found = await resolveRequestPath(options.root, candidate);
    if (found.kind === 'file') return sendFile(request, response, found.file, 404, servedAt);
  }
  response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
}

function injectClient(html: string, servedAt: string): string {
  const tag = `<script src="${CLIENT_PATH}" data-since="${servedAt}" defer></script>`;
  return html.includes('</head>') ? html.replace('</head>', `${tag}\n</head>`) : `${html}${tag}`;
}

/**
 * Opens a browser's event stream. A browser that reconnects names the last
 * event it saw (Last-Event-ID); a page connecting for the first time names
 * the rebuild it was served at (`?since=`). Either way it is first told what
 * changed after that, so an edit that landed while it was not listening is
 * not lost.
 */
function openEventStream(request: IncomingMessage, response: ServerResponse, query: string, live: LiveReloadState): void {
  const lastSeen = request.headers['last-event-id'];
  const missed = live.log.since(typeof lastSeen === 'string' && lastSeen !== '' ? lastSeen : new URLSearchParams(query).get('since'));
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  response.write('retry: 500\n\n');
  if (missed === 'unknown') response.write(`id: ${live.log.position}\nevent: stale\ndata: {}\n\n`);
  else if (missed) response.write(reloadMessage(live.log.position, missed.pages, missed.assets));
  // A page opened while the build is broken shows the error straight away.
  if (live.lastFailure) response.write(failedMessage(live.lastFailure));
  live.clients.add(response);
  response.on('close', () => live.clients.delete(response));
}

/** `zh-hans/2019/x/index.html` → `/zh-hans/2019/x/`: the URL a browser shows for an output file. */
export function urlOfOutput(file: string): string {
  const url = `/${file.split(path.sep).join('/')}`;
  return url.endsWith('/index.html') ? url.slice(0, -'index.html'.length) : url;
}
