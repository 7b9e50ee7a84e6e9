import { randomBytes } from 'node:crypto';

/** The pages and stylesheets a browser should refresh. */
export interface ChangedUrls {
  readonly pages: readonly string[];
  readonly assets: readonly string[];
}

/**
 * What each rebuild changed, numbered, so that a browser which connects
 * after a rebuild — a page still loading when the edit landed, a laptop
 * waking up, an event stream that dropped — is told what it missed instead
 * of showing a stale page until the next edit. Positions are SSE event ids
 * (`<server>.<n>`): the browser sends back the last one it saw on reconnect,
 * and a page carries the one it was served at. A position from another
 * server run cannot be caught up from: that page is simply reloaded.
 */
export class ReloadLog {
  readonly #server = randomBytes(4).toString('hex');
  #count = 0;
  /** URL → the number of the last rebuild that wrote or deleted it. */
  readonly #changedAt = new Map<string, number>();
  /** The same for stylesheets and other assets, which are swapped rather than reloaded. */
  readonly #assetChangedAt = new Map<string, number>();

  /** The position after the latest rebuild. */
  get position(): string {
    return `${this.#server}.${this.#count}`;
  }

  /** Notes a rebuild's changes; returns its position. */
  record(changes: ChangedUrls): string {
    this.#count += 1;
    for (const url of changes.pages) this.#changedAt.set(url, this.#count);
    for (const url of changes.assets) this.#assetChangedAt.set(url, this.#count);
    return this.position;
  }

  /**
   * What changed after `position`: nothing when it is current or absent,
   * `'unknown'` when it was not handed out by this log.
   */
  since(position: string | null): ChangedUrls | 'unknown' | null {
    if (position === null) return null;
    const match = /^([0-9a-f]+)\.(\d+)$/.exec(position);
    if (!match || match[1] !== this.#server || Number(match[2]) > this.#count) return 'unknown';
    const seen = Number(match[2]);
    if (seen === this.#count) return null;
    const after = (log: Map<string, number>): string[] => [...log].filter(([, at]) => at > seen).map(([url]) => url);
    return { pages: after(this.#changedAt), assets: after(this.#assetChangedAt) };
  }
}
