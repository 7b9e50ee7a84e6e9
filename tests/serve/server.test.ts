import { request } from 'node:http';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { tempDir } from '../helpers/temp.js';

interface Response {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A raw request: the path is sent exactly as given, without the client normalising it. */
function get(server: RunningServer, rawPath: string, method = 'GET'): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: rawPath, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Everything an event stream sends in its first 100 ms. */
async function eventsOpening(server: RunningServer, query = '', headers: Record<string, string> = {}): Promise<string> {
  const events = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    request({ host: '127.0.0.1', port: server.port, path: `/__broadsheet/events${query}`, headers }, resolve).on('error', reject).end();
  });
  const received: string[] = [];
  events.setEncoding('utf8');
  events.on('data', (chunk: string) => received.push(chunk));
  await new Promise((resolve) => setTimeout(resolve, 100));
  events.destroy();
  return received.join('');
}

/** The rebuild a served page says it is current with. */
async function servedAt(server: RunningServer, url: string): Promise<string> {
  const since = /data-since="([^"]+)"/.exec((await get(server, url)).body)?.[1];
  if (!since) throw new Error(`${url} was served without a live-reload position`);
  return since;
}

describe('the development server', () => {
  let root: string;
  let server: RunningServer;
  let plain: RunningServer;

  beforeAll(async () => {
    const base = await tempDir('broadsheet-serve');
    root = path.join(base, 'dist');
    await mkdir(path.join(root, 'zh-hans/2019/report'), { recursive: true });
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'zh-hans/2019/report/index.html'), '<!doctype html><html lang="zh-Hans"><head><title>报道</title></head><body>报道</body></html>');
    await writeFile(path.join(root, 'zh-hans/404.html'), '<!doctype html><html lang="zh-Hans"><head><title>404</title></head><body>找不到页面</body></html>');
    await writeFile(path.join(root, '404.html'), '<!doctype html><html><head><title>404</title></head><body>Not here</body></html>');
    await writeFile(path.join(root, 'assets/style.css'), 'body{}');
    await writeFile(path.join(root, 'feed.xml'), '<feed/>');
    await writeFile(path.join(base, 'secret.txt'), 'secret');
    await symlink(path.join(base, 'secret.txt'), path.join(root, 'link.txt'));
    server = await startServer({ root, port: 0, liveReload: true });
    plain = await startServer({ root, port: 0, liveReload: false });
  });

  afterAll(async () => {
    await server.close();
    await plain.close();
  });

  it('should listen on loopback', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('should serve clean URLs with UTF-8 HTML and nosniff', async () => {
    const response = await get(server, '/zh-hans/2019/report/');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toContain('报道');
    expect((await get(server, '/zh-hans/2019/report')).headers.location).toBe('/zh-hans/2019/report/');
  });

  it.each(['//zh-hans', '///zh-hans', '//zh-hans//2019//report', '/%2Fzh-hans'])('should redirect %s only to a path on this site, never to another host', async (rawPath) => {
    const response = await get(server, rawPath);
    if (response.status === 301) {
      const location = String(response.headers.location);
      expect(location).toMatch(/^\/[^/]/);
      expect(new URL(location, 'http://127.0.0.1/').host).toBe('127.0.0.1');
    } else expect([400, 404]).toContain(response.status);
  });

  it.each([
    ['/assets/style.css', 'text/css; charset=utf-8'],
    ['/feed.xml', 'application/xml; charset=utf-8'],
  ])('should serve %s as %s', async (file, type) => {
    const response = await get(server, file);
    expect([response.status, response.headers['content-type']]).toEqual([200, type]);
  });

  it('should inject the live-reload script only into served HTML, in dev only', async () => {
    expect((await get(server, '/zh-hans/2019/report/')).body).toMatch(/<script src="\/__broadsheet\/reload\.js" data-since="[0-9a-f]+\.\d+" defer><\/script>/);
    expect((await get(plain, '/zh-hans/2019/report/')).body).not.toContain('reload.js');
    expect((await get(server, '/__broadsheet/reload.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get(plain, '/__broadsheet/reload.js')).status).toBe(404);
  });

  it("should answer 404 with the edition's 404 page, else the site's", async () => {
    const chinese = await get(server, '/zh-hans/missing/');
    expect([chinese.status, chinese.body.includes('找不到页面')]).toEqual([404, true]);
    const other = await get(server, '/elsewhere');
    expect([other.status, other.body.includes('Not here')]).toEqual([404, true]);
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/%252e%252e%252fsecret.txt',
    '/zh-hans/%00.html',
    '/assets/style.css%00.html',
    '/%c0%ae%c0%ae/secret.txt',
    '/zh-hans/../../secret.txt',
  ])('should never serve outside the folder: %s', async (attack) => {
    const response = await get(server, attack);
    expect([400, 404]).toContain(response.status);
    expect(response.body).not.toContain('secret');
  });

  it('should not follow a symbolic link out of the folder', async () => {
    const response = await get(server, '/link.txt');
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('secret');
  });

  it('should refuse methods other than GET and HEAD', async () => {
    expect((await get(server, '/zh-hans/2019/report/', 'POST')).status).toBe(405);
    const head = await get(server, '/zh-hans/2019/report/', 'HEAD');
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it('should send reload and failure events to connected clients', async () => {
    const received: string[] = [];
    const events = await new Promise<import('node:http').IncomingMessage>((resolve) => {
      request({ host: '127.0.0.1', port: server.port, path: '/__broadsheet/events' }, resolve).end();
    });
    expect(events.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    events.setEncoding('utf8');
    events.on('data', (chunk: string) => received.push(chunk));
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.notify({ type: 'failed', errors: [{ text: 'content/a.md:3:7  BS205  bad date' }] });
    server.notify({ type: 'reload', pages: ['/zh-hans/2019/report/'], assets: ['/assets/style.css'] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    events.destroy();
    const stream = received.join('');
    expect(stream).toContain('event: failed\ndata: {"type":"failed","errors":[{"text":"content/a.md:3:7  BS205  bad date"}]}');
    expect(stream).toMatch(/id: [0-9a-f]+\.\d+\nevent: reload\ndata: \{"type":"reload","pages":\["\/zh-hans\/2019\/report\/"\],"assets":\["\/assets\/style\.css"\]\}/);
  });

  it('should tell a page that connects late what changed since it was served', async () => {
    const since = await servedAt(server, '/zh-hans/2019/report/');
    server.notify({ type: 'reload', pages: ['/zh-hans/2019/report/', '/en/2019/report/'], assets: [] });
    server.notify({ type: 'reload', pages: ['/en/2019/report/'], assets: ['/assets/style.css'] });
    const now = await servedAt(server, '/zh-hans/2019/report/');
    expect(now).not.toBe(since);
    const caughtUp = await eventsOpening(server, `?since=${encodeURIComponent(since)}`);
    expect(caughtUp).toContain(`id: ${now}\nevent: reload\ndata: {"type":"reload","pages":["/zh-hans/2019/report/","/en/2019/report/"],"assets":["/assets/style.css"]}`);
    // A page served after the rebuilds has nothing to catch up on.
    expect(await eventsOpening(server, `?since=${encodeURIComponent(now)}`)).not.toContain('event: reload');
  });

  it('should catch a reconnecting browser up from the last event it saw, not from when its page was served', async () => {
    const since = await servedAt(server, '/zh-hans/2019/report/');
    server.notify({ type: 'reload', pages: ['/zh-hans/2019/report/'], assets: [] });
    const seen = await servedAt(server, '/zh-hans/2019/report/');
    server.notify({ type: 'reload', pages: ['/en/2019/report/'], assets: [] });
    const stream = await eventsOpening(server, `?since=${encodeURIComponent(since)}`, { 'Last-Event-ID': seen });
    expect(stream).toContain('"pages":["/en/2019/report/"]');
    expect(stream).not.toContain('/zh-hans/2019/report/');
  });

  it('should have a page from an earlier server run reload itself', async () => {
    expect(await eventsOpening(server, '?since=0badc0de.3')).toContain('event: stale');
    expect(await eventsOpening(server, '?since=nonsense')).toContain('event: stale');
    expect(await eventsOpening(server)).not.toMatch(/event: (stale|reload)/);
  });

  it('should take the next port when the asked one is busy', async () => {
    const second = await startServer({ root, port: server.port, liveReload: false });
    // The next free one: other test files run servers of their own, so port + 1 may be taken too.
    expect(second.port).toBeGreaterThan(server.port);
    expect(second.port).toBeLessThan(server.port + 20);
    await second.close();
  });
});
