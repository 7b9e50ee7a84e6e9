// What writing pages costs this machine's file system, with nothing else: N pages of BYTES
// each, one folder per page as a site has them, written by THREADS worker threads. First a
// fresh folder (a full build's staging folder: make the folder, write the file), then every
// page replaced through a temporary file and a rename (watch mode after a template edit).
//
//   node bench/write-floor.mjs [N=12000] [BYTES=12000] [THREADS=2]
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  const [count = 12000, bytes = 12000, threads = 2] = process.argv.slice(2).map(Number);
  const root = mkdtempSync(path.join(tmpdir(), 'write-floor-'));
  const timed = async (mode) => {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: threads }, (_, thread) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: { root, mode, bytes, from: thread, step: threads, count } });
        return new Promise((resolve, reject) => worker.on('exit', resolve).on('error', reject));
      }),
    );
    return ((performance.now() - started) / 1000).toFixed(2);
  };
  try {
    const fresh = await timed('fresh');
    const replaced = await timed('replace');
    console.log(`${count} pages of ${bytes} bytes, ${threads} threads: new folder ${fresh} s, replaced in place ${replaced} s`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
} else {
  const { root, mode, bytes, from, step, count } = workerData;
  const page = 'x'.repeat(bytes);
  for (let index = from; index < count; index += step) {
    const file = path.join(root, String(index % 40), `p${index}`, 'index.html');
    if (mode === 'fresh') {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, page);
    } else {
      writeFileSync(`${file}.tmp`, page);
      renameSync(`${file}.tmp`, file);
    }
  }
  parentPort?.close();
}
