import { Agent, request } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDevSession } from '../../src/dev.js';
import { makeProject, projectOptions } from '../helpers/cli.js';

/** One GET on a keep-alive agent: the status, or the error message. */
function get(agent: Agent, port: number, url: string): Promise<{ status: number; bytes: number } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: url, agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', (error) => resolve({ error: error.message }));
    });
    req.on('error', (error) => resolve({ error: error.message }));
    req.end();
  });
}

const SECONDS = 5;

describe('the dev server under load', () => {
  it('should answer 200 concurrent connections for 5 seconds without an error while rebuilds run', async () => {
    const project = await makeProject({ search: false });
    const session = await startDevSession({
      ...projectOptions(project),
      serve: { port: 0 },
      log: () => undefined,
      logError: () => undefined,
    });
    const port = session.server?.port ?? 0;
    const agent = new Agent({ keepAlive: true, maxSockets: 200 });
    const urls = ['/zh-hans/2019/meizhou-last-mile/', '/en/2019/meizhou-last-mile/parallel/', '/assets/style.css', '/zh-hant/', '/en/feed.xml', '/nope/'];
    const expected: Record<string, number> = { '/nope/': 404 };
    const file = path.join(project, 'content/2019/meizhou-last-mile.md');
    const text = await readFile(file, 'utf8');
    const deadline = Date.now() + SECONDS * 1000;
    let requests = 0;
    const failures: string[] = [];
    const editor = (async () => {
      for (let edit = 0; Date.now() < deadline; edit++) {
        await writeFile(file, `${text}\n编辑 ${edit}。\n`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const worker = async (index: number): Promise<void> => {
      for (let round = 0; Date.now() < deadline; round++) {
        const url = urls[(index + round) % urls.length] ?? '/';
        const result = await get(agent, port, url);
        requests++;
        if ('error' in result) failures.push(`${url}: ${result.error}`);
        else if (result.status !== (expected[url] ?? 200) || result.bytes === 0) failures.push(`${url}: ${result.status} (${result.bytes} bytes)`);
      }
    };
    await Promise.all([editor, ...Array.from({ length: 200 }, (_, index) => worker(index))]);
    agent.destroy();
    await session.close();
    console.log(`[load] ${requests} requests in ${SECONDS} s over 200 connections: ${Math.round(requests / SECONDS)} requests/s, ${failures.length} errors`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(requests).toBeGreaterThan(1000);
  }, 60_000);
});
