import { readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Block, RenderedArticle, Section } from '../model/article.js';
import { readEntryFile, writeEntryFile } from './store.js';

/** A block without its HTML: what a shelved block keeps in memory (see bodies.ts). */
export type BlockOutline = Pick<Block<string>, 'id' | 'position'>;

/** An article without its blocks' HTML: front matter, summary and outline. */
export interface ArticleOutline extends Omit<RenderedArticle, 'lead' | 'sections'> {
  readonly lead: readonly BlockOutline[];
  readonly sections: readonly (Omit<Section<Block<string>>, 'blocks'> & { readonly blocks: readonly BlockOutline[] })[];
}

/** A block outline as a part stores it: its id, then its line and column when it has a position. */
export type PackedBlock = readonly [id: string, line?: number, column?: number];

/**
 * An article outline with its blocks packed, as the parts store it and a
 * shelf takes it: blocks are most of an outline (a dozen or more per
 * article), and a one-shot build reads every outline but shows few bodies.
 */
export interface PackedOutline extends Omit<ArticleOutline, 'lead' | 'sections'> {
  readonly lead: readonly PackedBlock[];
  readonly sections: readonly (Omit<ArticleOutline['sections'][number], 'blocks'> & { readonly blocks: readonly PackedBlock[] })[];
}

// Parts of another format are not read; they are rewritten by the next build that saves.
const PART_FORMAT = 2;

interface Part {
  readonly format: number;
  readonly outlines: Record<string, readonly PackedOutline[]>;
}

/**
 * The outlines of the cache entries a one-shot build used, kept together
 * in a few files (the cache folder's `outlines/`), so that the next build
 * in a new process learns what 8,000 unchanged files hold from 16 reads
 * instead of 8,000: it needs their front matter and outline to build the
 * archive, and reads a body from its entry only when a page shows it.
 *
 * An outline is derived from the entry of the same key, so it is never
 * stale; a part that is missing or damaged only sends its keys back to
 * their entries. A build rewrites only the parts whose set of keys changed.
 */
export class OutlineBook {
  readonly #dir: string;
  /** Outlines read from the parts, until they are taken. */
  readonly #loaded = new Map<string, readonly PackedOutline[]>();
  /** The keys each part held when read. */
  readonly #partKeys = new Map<string, ReadonlySet<string>>();
  /** The entries this build used, with their articles' outlines. */
  readonly #used = new Map<string, readonly PackedOutline[]>();

  constructor(cacheDir: string) {
    this.#dir = path.join(path.resolve(cacheDir), 'outlines');
  }

  /** Reads every part; a build that finds no previous record has nothing to look up, and need not call this. */
  load(): void {
    for (const name of partNames(this.#dir)) {
      const part = readEntryFile<Part>(path.join(this.#dir, name));
      if (part?.format !== PART_FORMAT) continue;
      this.#partKeys.set(name, new Set(Object.keys(part.outlines)));
      for (const [key, outlines] of Object.entries(part.outlines)) this.#loaded.set(key, outlines);
    }
  }

  /** The outlines of the entry under `key`, when a part had them; each is handed out once. */
  take(key: string): readonly PackedOutline[] | undefined {
    const outlines = this.#loaded.get(key);
    this.#loaded.delete(key);
    return outlines;
  }

  /** Notes that this build used the entry under `key`, whose articles have these outlines. */
  note(key: string, outlines: readonly PackedOutline[]): void {
    this.#used.set(key, outlines);
  }

  /**
   * Writes the parts whose keys changed since they were read, and removes the
   * parts no used key falls in. Like any cache write, a failure is not an
   * error: the next build reads the entries instead. Resolves false then.
   */
  async save(): Promise<boolean> {
    this.#loaded.clear();
    try {
      await this.#writeParts();
      return true;
    } catch {
      return false;
    }
  }

  async #writeParts(): Promise<void> {
    const parts = new Map<string, [string, readonly PackedOutline[]][]>();
    for (const [key, articles] of this.#used) {
      const name = partNameOf(key);
      const part = parts.get(name) ?? [];
      part.push([key, articles]);
      parts.set(name, part);
    }
    await mkdir(this.#dir, { recursive: true });
    for (const [name, entries] of parts) {
      const before = this.#partKeys.get(name);
      if (before && before.size === entries.length && entries.every(([key]) => before.has(key))) continue;
      const outlines = Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
      await writeEntryFile(path.join(this.#dir, name), { format: PART_FORMAT, outlines } satisfies Part);
    }
    for (const name of partNames(this.#dir)) if (!parts.has(name)) await rm(path.join(this.#dir, name), { force: true });
  }
}

/** An article's outline, its blocks packed (whole articles and outlines alike). */
export function packOutline(article: ArticleOutline): PackedOutline {
  return { ...article, lead: article.lead.map(packBlock), sections: article.sections.map((section) => ({ ...section, blocks: section.blocks.map(packBlock) })) };
}

function packBlock({ id, position }: BlockOutline): PackedBlock {
  return position ? [id, position.line, position.column] : [id];
}

/** Keys are hex digests: their first character spreads them over 16 parts. */
function partNameOf(key: string): string {
  return `${key.slice(0, 1)}.json`;
}

function partNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => /^[0-9a-f]\.json$/.test(name));
  } catch {
    return [];
  }
}
