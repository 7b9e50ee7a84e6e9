import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { contentType, resolveRequestPath } from './static-files.js';
import { RELOAD_CLIENT } from './reload-client.js';

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
 * README recommends for publishing: nothing inline may run, scripts and styles
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
  const clients = new Set<ServerResponse>();
  let lastFailure: ServerEvent | null = null;
  const server = createServer((request, response) => {
    handle(request, response, options, clients, () => lastFailure).catch(() => {
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
      lastFailure = event.type === 'failed' ? event : null;
      const message = event.type === 'reload' ? `event: reload\ndata: ${JSON.stringify(event)}\n\n` : `event: failed\ndata: ${JSON.stringify(event)}\n\n`;
      for (const client of clients) client.write(message);
    },
    async close() {
      for (const client of clients) client.end();
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

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: ServerOptions,
  clients: Set<ServerResponse>,
  lastFailure: () => ServerEvent | null,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' }).end();
    return;
  }
  const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
  if (options.liveReload && rawPath === EVENTS_PATH) return openEventStream(response, clients, lastFailure());
  if (options.liveReload && rawPath === CLIENT_PATH) {
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : RELOAD_CLIENT);
    return;
  }
  const resolution = await resolveRequestPath(options.root, rawPath);
  if (resolution.kind === 'bad-request') {
    response.writeHead(400, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad request\n');
  } else if (resolution.kind === 'redirect') {
    response.writeHead(301, { ...SECURITY_HEADERS, Location: resolution.location }).end();
  } else if (resolution.kind === 'file') {
    await sendFile(request, response, resolution.file, 200, options.liveReload);
  } else {
    await sendNotFound(request, response, options, rawPath);
  }
}

async function sendFile(request: IncomingMessage, response: ServerResponse, file: string, status: number, liveReload: boolean): Promise<void> {
  let body: Buffer | string = await readFile(file);
  const type = contentType(file);
  if (liveReload && type.startsWith('text/html')) body = injectClient(body.toString('utf8'));
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** The site's 404 page for the request's edition (`/en/404.html`), else the root one, else plain text. */
async function sendNotFound(request: IncomingMessage, response: ServerResponse, options: ServerOptions, rawPath: string): Promise<void> {
  const edition = /^\/([a-z0-9-]+)\//i.exec(rawPath)?.[1];
  for (const candidate of [edition ? `/${edition}/404.html` : null, '/404.html']) {
    if (!candidate) continue;
    const found = await resolveRequestPath(options.root, candidate);
    if (found.kind === 'file') return sendFile(request, response, found.file, 404, options.liveReload);
  }
  response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
}

function injectClient(html: string): string {
  const tag = `<script src="${CLIENT_PATH}" defer></script>`;
  return html.includes('</head>') ? html.replace('</head>', `${tag}\n</head>`) : `${html}${tag}`;
}

function openEventStream(response: ServerResponse, clients: Set<ServerResponse>, failure: ServerEvent | null): void {
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  response.write('retry: 500\n\n');
  // A page opened while the build is broken shows the error straight away.
  if (failure) response.write(`event: failed\ndata: ${JSON.stringify(failure)}\n\n`);
  clients.add(response);
  response.on('close', () => clients.delete(response));
}

/** `zh-hans/2019/x/index.html` → `/zh-hans/2019/x/`: the URL a browser shows for an output file. */
export function urlOfOutput(file: string): string {
  const url = `/${file.split(path.sep).join('/')}`;
  return url.endsWith('/index.html') ? url.slice(0, -'index.html'.length) : url;
}
