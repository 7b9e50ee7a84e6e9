import { formatError } from './diagnostics/format.js';
import type { BuildReport } from './model/build.js';
import { startServer, urlOfOutput, type RunningServer } from './serve/server.js';
import { startWatching, type WatchOptions, type WatchSession } from './watch/index.js';

/** Options for {@link startDevSession}: a watch session's, and where to serve. */
export interface DevOptions extends Omit<WatchOptions, 'writer' | 'onRebuilt'> {
  readonly serve: { readonly port: number; readonly host?: string };
}

/** A running `broadsheet dev`: a watch session and the server in front of its output. */
export interface DevSession extends WatchSession {
  readonly server: RunningServer;
}

/**
 * `broadsheet dev`, assembled from its two parts: a watch session that
 * rebuilds what each edit affects, and a server with live reload that
 * tells open pages of each rebuild. Neither knows the other.
 */
export async function startDevSession(options: DevOptions): Promise<DevSession> {
  let server: RunningServer | null = null;
  const session = await startWatching({ ...options, writer: 'dev', onRebuilt: (report) => server?.notify(toServerEvent(report)) });
  try {
    server = await startServer({ root: options.outDir, port: options.serve.port, host: options.serve.host, liveReload: true });
  } catch (error) {
    await session.close();
    throw error;
  }
  options.log(`[broadsheet] serving ${options.outDir} at ${server.url}`);
  const running = server;
  return {
    server: running,
    idle: () => session.idle(),
    async close() {
      await session.close();
      await running.close();
    },
  };
}

/** What open pages are told of a rebuild: the pages and assets it changed, or the problems that stopped it. */
export function toServerEvent(result: BuildReport): Parameters<RunningServer['notify']>[0] {
  if (result.errors.length > 0) return { type: 'failed', errors: result.errors.map((error) => ({ text: formatError(error) })) };
  const urls = [...result.written, ...result.deleted].map(urlOfOutput);
  return {
    type: 'reload',
    pages: urls.filter((url) => url.endsWith('/') || url.endsWith('.html')),
    assets: urls.filter((url) => !url.endsWith('/') && !url.endsWith('.html')),
  };
}

