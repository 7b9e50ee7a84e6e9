import type { Block, RenderedArticle, SourcePosition } from '../model/article.js';
import type { PackedBlock, PackedOutline } from './outlines.js';
import type { CacheStore } from './store.js';

/** Where a content file's articles are kept, and how to make them again if that entry is gone. */
export interface ShelfEntry {
  /** The cache key the file's articles are stored under. */
  readonly key: string;
  /**
   * Structures the file again: only needed when the entry vanished during
   * the build (`broadsheet clean` in another terminal). Throws a
   * BroadsheetError when the file changed since it was first read.
   */
  readonly remake: () => readonly RenderedArticle[];
}

// Decoded entries kept at hand: a group's pages are rendered together, and a source
// file's entry serves both its own edition and the derived one.
const RECENT_ENTRIES = 4;

/**
 * Keeps the HTML of article bodies in the cache instead of in memory.
 *
 * A one-shot build holds every article for the whole build, but a body is
 * shown only by its own pages and the feeds, rendered one after another.
 * Bodies are about half of what the archive holds; shelved, an article keeps
 * its front matter, summary and outline (section headings, block ids and
 * positions), and each block reads its HTML back from the file's cache
 * entry when a template asks for it.
 */
export class BodyShelf {
  readonly #cache: CacheStore;
  readonly #recent = new Map<ShelfEntry, readonly RenderedArticle[]>();

  constructor(cache: CacheStore) {
    this.#cache = cache;
  }

  /** The articles stored under `entry`, from their outlines, with their blocks' HTML left in the cache. */
  shelve(entry: ShelfEntry, outlines: readonly PackedOutline[]): RenderedArticle[] {
    return outlines.map((outline, index) => shelveArticle(outline, { shelf: this, entry, index }));
  }

  /** The HTML of one block of a shelved article; `section` is -1 for the lead. */
  blockHtml(place: ArticlePlace, section: number, block: number): string {
    const article = this.#articlesOf(place.entry)[place.index];
    const blocks = section < 0 ? article?.lead : article?.sections[section]?.blocks;
    const html = blocks?.[block]?.content;
    if (html === undefined) throw new Error(`Internal error: the cache entry ${place.entry.key} has no block ${section}/${block} in article ${place.index}`);
    return html;
  }

  #articlesOf(entry: ShelfEntry): readonly RenderedArticle[] {
    let articles = this.#recent.get(entry);
    if (articles) {
      // Most recently used last, so the first is the one to let go.
      this.#recent.delete(entry);
    } else {
      articles = this.#cache.get<RenderedArticle[]>(entry.key) ?? entry.remake();
      if (this.#recent.size >= RECENT_ENTRIES) this.#recent.delete(this.#recent.keys().next().value as ShelfEntry);
    }
    this.#recent.set(entry, articles);
    return articles;
  }
}

/** Which article of which entry a shelved block belongs to; shared by the article's blocks. */
interface ArticlePlace {
  readonly shelf: BodyShelf;
  readonly entry: ShelfEntry;
  /** The article's place in the entry's list (a source file's derived editions follow it). */
  readonly index: number;
}

/** A block whose HTML stays in the cache until a template reads `content`. */
class ShelvedBlock implements Block<string> {
  readonly id: string;
  readonly #packed: PackedBlock;
  readonly #place: ArticlePlace;
  readonly #section: number;
  readonly #block: number;

  constructor(packed: PackedBlock, place: ArticlePlace, section: number, index: number) {
    this.id = packed[0];
    this.#packed = packed;
    this.#place = place;
    this.#section = section;
    this.#block = index;
  }

  // Made when asked for: few blocks' positions are (a warning's line), and an archive has hundreds of thousands of blocks.
  get position(): SourcePosition | null {
    const [, line, column] = this.#packed;
    return line === undefined || column === undefined ? null : { line, column };
  }

  get content(): string {
    return this.#place.shelf.blockHtml(this.#place, this.#section, this.#block);
  }
}

/**
 * A shelved article whose blocks are made when first asked for: a one-shot
 * build holds every article of the archive, but shows the bodies of few
 * (docs/performance.md).
 */
function shelveArticle({ lead, sections, ...rest }: PackedOutline, place: ArticlePlace): RenderedArticle {
  let body: Pick<RenderedArticle, 'lead' | 'sections'> | null = null;
  const made = (): Pick<RenderedArticle, 'lead' | 'sections'> =>
    (body ??= {
      lead: lead.map((block, index) => new ShelvedBlock(block, place, -1, index)),
      sections: sections.map((section, sectionIndex) => ({
        ...section,
        blocks: section.blocks.map((block, index) => new ShelvedBlock(block, place, sectionIndex, index)),
      })),
    });
  return Object.defineProperties(rest, {
    lead: { get: () => made().lead, enumerable: true },
    sections: { get: () => made().sections, enumerable: true },
  }) as RenderedArticle;
}
