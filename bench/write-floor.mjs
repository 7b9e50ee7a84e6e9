// What writing pages costs this machine's file system, with nothing else: N pages of BYTES
// each, one folder per page as a site has them, written by THREADS worker threads:
//   new folder   a full build's staging folder: make the folder, write the file;
//   replaced     every page replaced through a new temporary file and a rename;
//   set aside    the same, the old file first linked into a folder beside (watch mode until 0.3);
//   refilled     the file set aside in the round before filled with the new page and renamed
//                over it, this page's old file set aside in turn (watch mode since).
//
//   node bench/write-floor.mjs [N=12000] [BYTES=12000] [THREADS=2]
import { closeSync, linkSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  const [count = 12000, bytes = 12000, threads = 2] = process.argv.slice(2).map(Number);
  const root = mkdtempSync(path.join(tmpdir(), 'write-floor-'));
  const timed = async (mode, round = 0) => {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: threads }, (_, thread) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: { root, mode, round, bytes, from: thread, step: threads, count } });
        return new Promise((resolve, reject) => worker.on('exit', resolve).on('error', reject));
      }),
    );
    return ((performance.now() - started) / 1000).toFixed(2);
  };
  try {
    const fresh = await timed('fresh');
    const replaced = await timed('replace');
    const setAside = await timed('aside', 1);
    const refilled = await timed('refill', 2);
    console.log(`${count} pages of ${bytes} bytes, ${threads} threads: new folder ${fresh} s, replaced ${replaced} s, set aside ${setAside} s, refilled ${refilled} s`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
} else {
  const { root, mode, round, bytes, from, step, count } = workerData;
  const page = String(round % 10).repeat(bytes);
  const aside = (n) => path.join(root, 'aside', String(n));
  if (mode === 'aside' || mode === 'refill') mkdirSync(aside(round), { recursive: true });
  for (let index = from; index < count; index += step) {
    const file = path.join(root, String(index % 40), `p${index}`, 'index.html');
    if (mode === 'fresh') {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, page);
    } else if (mode === 'replace') {
      writeFileSync(`${file}.tmp`, page);
      renameSync(`${file}.tmp`, file);
    } else if (mode === 'aside') {
      writeFileSync(`${file}.tmp`, page);
      linkSync(file, path.join(aside(round), `p${index}`));
      renameSync(`${file}.tmp`, file);
    } else {
      const spare = path.join(aside(round - 1), `p${index}`);
      const descriptor = openSync(spare, 'r+');
      writeFileSync(descriptor, page);
      closeSync(descriptor);
      linkSync(file, path.join(aside(round), `p${index}`));
      renameSync(spare, file);
    }
  }
  parentPort?.close();
}
