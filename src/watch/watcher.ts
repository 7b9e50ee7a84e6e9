import { watch, type FSWatcher } from 'chokidar';
import type { ChangeSet } from '../build/builder.js';
import { addChange, classifyChange, isEditorArtefact, type WatchTargets } from './changes.js';

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
  const debounceMs = options.debounceMs ?? 10;
  const maxWaitMs = options.maxWaitMs ?? 100;
  const watcher: FSWatcher = watch([targets.contentDir, targets.templatesDir, targets.configFile], {
    ignoreInitial: true,
    ignored: (file: string) => isEditorArtefact(file),
  });
  let batch: ChangeSet | null = null;
  let timer: NodeJS.Timeout | null = null;
  let firstEventAt = 0;
  const flush = (): void => {
    timer = null;
    const changes = batch;
    batch = null;
    if (changes) onChanges(changes);
  };
  watcher.on('all', (_event, file) => {
    const kind = classifyChange(file, targets);
    if (!kind) return;
    if (!batch) firstEventAt = Date.now();
    batch = addChange(batch ?? {}, kind, file);
    if (timer) clearTimeout(timer);
    const waited = Date.now() - firstEventAt;
    timer = setTimeout(flush, waited >= maxWaitMs ? 0 : debounceMs);
  });
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
