import { stat } from 'node:fs/promises';
import { watch, type FSWatcher } from 'chokidar';
import type { ChangeSet } from '../build/builder.js';
import { addChange, classifyChange, isEditorArtefact, type WatchTargets } from './changes.js';

const RECHECK_MS = 50;

async function stamps(files: ReadonlySet<string>): Promise<Map<string, string>> {
  const entries = await Promise.all(
    [...files].map(async (file) => {
      const info = await stat(file).catch(() => null);
      return [file, info ? `${info.mtimeMs}:${info.size}:${info.ino}` : 'gone'] as const;
    }),
  );
  return new Map(entries);
}

/** Options for {@link watchSite}. */
export interface WatcherOptions {
  /** Quiet time after the last event before the batch is handed over. */
  readonly debounceMs?: number;
  /** The longest a busy stream of events may delay a batch. */
  readonly maxWaitMs?: number;
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
 * half-written is simply read again when its next event arrives.
 */
export function watchSite(targets: WatchTargets, onChanges: (changes: ChangeSet) => void, options: WatcherOptions = {}): SiteWatcher {
  const debounceMs = options.debounceMs ?? 1;
  const maxWaitMs = options.maxWaitMs ?? 50;
  const watcher: FSWatcher = watch([targets.contentDir, targets.templatesDir, targets.configFile], {
    ignoreInitial: true,
    ignored: (file: string) => isEditorArtefact(file),
  });
  let batch: ChangeSet | null = null;
  let batchFiles = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let firstEventAt = 0;
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
    const changes = batch;
    const files = batchFiles;
    batch = null;
    batchFiles = new Set();
    if (!changes) return;
    onChanges(changes);
    void recheck(files);
  };
  // chokidar drops an event that follows another on the same file within a few
  // milliseconds, so the last save of a fast burst can go unreported. Look at the
  // files once more after the burst and report any that changed since.
  const recheck = async (files: ReadonlySet<string>): Promise<void> => {
    const before = await stamps(files);
    await new Promise((resolve) => setTimeout(resolve, RECHECK_MS));
    const after = await stamps(files);
    for (const file of files) if (before.get(file) !== after.get(file)) record(file);
  };
  watcher.on('all', (_event, file) => record(file));
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
