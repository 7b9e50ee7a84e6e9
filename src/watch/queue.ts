import type { BuildReport, ChangeSet } from '../model/build.js';
import { mergeChanges } from './changes.js';

/**
 * Runs one rebuild at a time. Changes that arrive while a rebuild runs are
 * merged and trigger exactly one more rebuild afterwards, so a save in the
 * middle of a build is never lost and the output ends up matching the disk.
 */
export class RebuildQueue {
  readonly #rebuild: (changes: ChangeSet) => Promise<BuildReport>;
  readonly #onReport: (report: BuildReport, changes: ChangeSet) => void;
  readonly #onCrash: (error: unknown) => void;
  #pending: ChangeSet | null = null;
  #running: Promise<void> | null = null;

  constructor(
    rebuild: (changes: ChangeSet) => Promise<BuildReport>,
    onReport: (report: BuildReport, changes: ChangeSet) => void,
    onCrash: (error: unknown) => void = (error) => {
      throw error;
    },
  ) {
    this.#rebuild = rebuild;
    this.#onReport = onReport;
    this.#onCrash = onCrash;
  }

  /** Queues changes; resolves when the queue has caught up with them. */
  push(changes: ChangeSet): Promise<void> {
    this.#pending = this.#pending ? mergeChanges(this.#pending, changes) : changes;
    this.#running ??= this.#drain().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** True while a rebuild runs or waits to. */
  get busy(): boolean {
    return this.#running !== null;
  }

  /** Resolves when no rebuild is running or pending. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    while (this.#pending) {
      const changes = this.#pending;
      this.#pending = null;
      try {
        this.#onReport(await this.#rebuild(changes), changes);
      } catch (error) {
        // A bug in one rebuild must not stop the watcher: report it and keep going.
        this.#onCrash(error);
      }
    }
  }
}
