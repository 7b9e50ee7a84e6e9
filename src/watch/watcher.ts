import { statSync } from 'node:fs';
import { watch, type FSWatcher } from 'chokidar';
import type { ChangeSet } from '../model/build.js';
import { addChange, classifyChange, isEditorArtefact, type WatchTargets } from './changes.js';

const RECHECK_MS = 50;

type Stamp = string;

function statOrNull(file: string): { mtimeMs: number; size: number; ino: number } | null {
  try {
    return statSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null; // ENOTDIR, EACCES: as good as gone
  }
}

/**
 * What each file looks like now. Synchronous: the look taken before a hand-over
 * must be older than anything the rebuild it precedes reads, and a burst names
 * few files.
 */
function stampsNow(files: ReadonlySet<string>): Map<string, Stamp> {
  return new Map([...files].map((file) => {
    const info = statOrNull(file);
    return [file, info ? `${info.mtimeMs}:${info.size}:${info.ino}` : 'gone'];
  }));
}

/** Options for {@link watchSite}. */
export interface WatcherOptions {
  /** Quiet time after the last event before the batch is handed over. */
  readonly debounceMs?: number;
  /** The longest a busy stream of events may delay a batch. */
  readonly maxWaitMs?: number;
  /** Told of a problem the file watcher met; watching goes on. */
  readonly onError?: (error: Error) => void;
}

/** A running watcher. */
export interface SiteWatcher {
  /** Resolves when the initial scan is done and events will be reported. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Watches the content folder, the templates folder and the configuration
 * file, and hands over each burst of changes as one classified change set.
 * Editor artefacts are ignored. No "write finished" polling: a file caught
 * half-written is read again when the look after its burst (below) finds it
 * changed, or when its next event arrives.
 */
export function watchSite(targets: WatchTargets, onChanges: (changes: ChangeSet) => void, options: WatcherOptions = {}): SiteWatcher {
  const debounceMs = options.debounceMs ?? 1;
  const maxWaitMs = options.maxWaitMs ?? 50;
  const watcher: FSWatcher = watch([targets.contentDir, targets.templatesDir, targets.configFile], {
    ignoreInitial: true,
    ignored: (file: string) => isEditorArtefact(file),
    // A link is reported as the path it is, never followed: a build does not follow links either
    // (load/scan.ts), so a link to a folder outside or a link loop is one skipped path, not a tree.
    followSymlinks: false,
  });
  let batch: ChangeSet | null = null;
  let batchFiles = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let firstEventAt = 0;
  let heldForEmpty = false;
  let closed = false;
  const record = (file: string): void => {
    const kind = classifyChange(file, targets);
    if (!kind || closed) return;
    if (!batch) firstEventAt = Date.now();
    batch = addChange(batch ?? {}, kind, file);
    batchFiles.add(file);
    if (timer) clearTimeout(timer);
    const waited = Date.now() - firstEventAt;
    timer = setTimeout(flush, waited >= maxWaitMs ? 0 : debounceMs);
  };
  const flush = (): void => {
    timer = null;
    if (!batch) return;
    // A file found empty is most likely a save caught between its truncation and its text.
    // Wait once for the text rather than build the empty file and show a failure for a moment;
    // a file still empty after that is built as it is.
    if (!heldForEmpty && [...batchFiles].some((file) => statOrNull(file)?.size === 0)) {
      heldForEmpty = true;
      timer = setTimeout(flush, RECHECK_MS);
      return;
    }
    const before = stampsNow(batchFiles);
    const changes = batch;
    const files = batchFiles;
    batch = null;
    batchFiles = new Set();
    heldForEmpty = false;
    onChanges(changes);
    void recheck(files, before);
  };
  // chokidar drops a change that follows another on the same file within 50 ms,
  // and the first one can come from a save's truncation, before its text is
  // written: the rebuild may read an empty or partial file, and the save's end
  // goes unreported. Look at the files once more after the burst and report any
  // that changed since they were handed over. The first stamps are taken before
  // the hand-over, never after: a save that ends between the rebuild's read and
  // a later first look would otherwise pass as seen.
  const recheck = async (files: ReadonlySet<string>, before: ReadonlyMap<string, Stamp>): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, RECHECK_MS));
    const after = stampsNow(files);
    for (const file of files) if (before.get(file) !== after.get(file)) record(file);
  };
  watcher.on('all', (_event, file) => record(file));
  // A folder that cannot be watched (removed while being read, no permission) must not end the session.
  watcher.on('error', (error) => options.onError?.(error instanceof Error ? error : new Error(String(error))));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
