import type { Archive, ArchiveEntry, ArticleGroup } from '../../model/archive.js';
import type { Config } from '../../model/config.js';
import type { Alternate, PagePlan } from '../../model/page.js';
import type { ListingCache } from '../../render/listings.js';
import { findNeighbours, planArticle, planFeeds, planListings, planSiteFiles, type Neighbours, type SearchBundles } from '../../render/pages.js';
import { cardOf } from '../../structure/card.js';
import type { OutputState } from '../state.js';

/** The pages a build considers, and the URLs of the previous output it no longer produces. */
export interface PagePlanning {
  /** Only articles' text changed: listings and site files keep their previous plans. */
  readonly textOnly: boolean;
  readonly listings: PagePlan[];
  readonly siteFiles: PagePlan[];
  /** Every page whose signature is checked, article pages first. */
  readonly candidates: PagePlan[];
  readonly gone: string[];
}

/**
 * Plans kept from one build to the next by the identity of what they were
 * made from: an unchanged group or listing keeps its plan objects, which
 * the render step then passes by. A cache of pure functions, not state:
 * emptying it changes nothing but speed.
 */
export class PlanMemo {
  listings: ListingCache = new Map();
  readonly #groups = new WeakMap<ArticleGroup, { around: (ArchiveEntry | null)[]; plans: PagePlan[] }>();
  /** The last pages planned from a whole archive, with what they were planned from. */
  #last: { readonly archive: Archive; readonly config: Config; readonly bundles: string; readonly planning: PagePlanning } | null = null;

  /** The pages planned last time from these very inputs (after a template edit, say), or null. */
  lastPlanning(archive: Archive, config: Config, searchBundles: SearchBundles): PagePlanning | null {
    const last = this.#last;
    return last && last.archive === archive && last.config === config && last.bundles === bundlesKey(searchBundles) ? last.planning : null;
  }

  remember(archive: Archive, config: Config, searchBundles: SearchBundles, planning: PagePlanning): void {
    this.#last = { archive, config, bundles: bundlesKey(searchBundles), planning };
  }

  /** Lets every plan go (a one-shot build frees them before indexing; a new configuration makes new ones). */
  clear(): void {
    this.listings = new Map();
    this.#last = null;
  }

  /** The pages of one article: from the memo while its group and its neighbours are the same objects. */
  plansOf(group: ArticleGroup, config: Config, neighbours: Neighbours): PagePlan[] {
    const around = [...group.editions.values()].flatMap((entry) => [neighbours.get(entry)?.newer ?? null, neighbours.get(entry)?.older ?? null]);
    const memo = this.#groups.get(group);
    if (memo && memo.around.length === around.length && memo.around.every((entry, index) => entry === around[index])) return memo.plans;
    const plans = planArticle(group, config, neighbours);
    this.#groups.set(group, { around, plans });
    return plans;
  }
}

/**
 * The pages this build must consider. `touched` names the groups whose
 * files changed when only articles' text did (see `onlyTextChanged`): then every listing, the
 * sitemaps and robots.txt stay as they were (only the feeds carry the
 * text), the previous plans stand and the whole archive is not walked
 * again. Otherwise every page is planned.
 */
export function planPages(archive: Archive, config: Config, output: OutputState | null, touched: ReadonlySet<string> | null, searchBundles: SearchBundles, memo: PlanMemo): PagePlanning {
  if (touched) {
    const feeds = planFeeds(archive, config);
    const groups = [...touched].flatMap((key) => archive.groups.get(key) ?? []);
    return {
      textOnly: true,
      // A one-shot build keeps no plans: its listings are not looked at, as nothing they show changed.
      listings: [...(output?.listings ?? []).filter((plan) => plan.kind !== 'feed'), ...feeds],
      siteFiles: [...(output?.siteFiles ?? [])],
      // The edited articles' own pages first: in watch mode each is on disk as soon as it is rendered.
      candidates: [...groups.flatMap((group) => memo.plansOf(group, config, neighboursOf(archive, group))), ...feeds],
      gone: [],
    };
  }
  // The same archive, configuration and search bundles plan the same pages: planned again, they would be equal objects.
  const last = memo.lastPlanning(archive, config, searchBundles);
  if (last) return copyOf(last, output);
  const reuse = (plan: PagePlan): PagePlan => reuseListing(plan, output);
  const listings = planListings(archive, config, searchBundles, memo.listings).map(reuse);
  const neighbours = findNeighbours(archive);
  // Unchanged articles with unchanged neighbours keep their plan objects, so the render loop passes them by identity.
  // Article pages come first, folder by folder, so that a full build can index each folder's search shard while it renders the rest.
  const pages = [...[...archive.groups.values()].flatMap((group) => memo.plansOf(group, config, neighbours)), ...listings];
  const siteFiles = planSiteFiles(archive, pages, config).map(reuse);
  const candidates = [...pages, ...siteFiles];
  const planning = { textOnly: false, listings, siteFiles, candidates, gone: goneFrom(output, candidates) };
  memo.remember(archive, config, searchBundles, planning);
  return copyOf(planning, output);
}

/** A planning's lists copied (a one-shot build empties its own), with the pages gone since `output`. */
function copyOf(planning: PagePlanning, output: OutputState | null): PagePlanning {
  return { textOnly: false, listings: [...planning.listings], siteFiles: [...planning.siteFiles], candidates: [...planning.candidates], gone: goneFrom(output, planning.candidates) };
}

/** The URLs of the output's pages that are not planned any more. */
function goneFrom(output: OutputState | null, candidates: readonly PagePlan[]): string[] {
  const planned = new Set(candidates.map((plan) => plan.url));
  return [...(output?.pages.keys() ?? [])].filter((url) => !planned.has(url));
}

function bundlesKey(searchBundles: SearchBundles): string {
  return JSON.stringify([...searchBundles]);
}

/**
 * True when every changed group kept its editions and their cards, all
 * that listings, sitemaps and neighbours show of it, so that only its body
 * changed.
 */
export function onlyTextChanged(before: Archive, after: Archive, keys: ReadonlySet<string>): boolean {
  for (const key of keys) {
    const old = before.groups.get(key);
    const now = after.groups.get(key);
    if (!old || !now || old.editions.size !== now.editions.size) return false;
    for (const [code, edition] of old.editions) {
      const current = now.editions.get(code);
      if (!current || cardOf(current).face !== cardOf(edition).face) return false;
    }
  }
  return true;
}

/**
 * The previous plan of a listing page when it lists the same entries: then
 * the page is known unchanged by identity, without comparing its data.
 */
function reuseListing(plan: PagePlan, output: OutputState | null): PagePlan {
  const previous = output?.pages.get(plan.url)?.plan;
  const same =
    previous != null &&
    previous.kind === plan.kind &&
    previous.template === plan.template &&
    previous.language === plan.language &&
    previous.identity !== undefined &&
    plan.identity !== undefined &&
    previous.identity.length === plan.identity.length &&
    previous.identity.every((value, index) => value === plan.identity?.[index]) &&
    sameAlternates(previous.alternates, plan.alternates) &&
    sameAlternates(previous.switcher ?? [], plan.switcher ?? []);
  return same && previous ? previous : plan;
}

function sameAlternates(a: readonly Alternate[], b: readonly Alternate[]): boolean {
  return a.length === b.length && a.every((alternate, index) => alternate.language === b[index]?.language && alternate.url === b[index]?.url);
}

/** The newer and older neighbours of one group's entries, found by their place in each edition. */
function neighboursOf(archive: Archive, group: ArticleGroup): Neighbours {
  const neighbours = new Map<ArchiveEntry, { newer: ArchiveEntry | null; older: ArchiveEntry | null }>();
  for (const entry of group.editions.values()) {
    const list = archive.editions.get(entry.language.code) ?? [];
    const index = list.indexOf(entry);
    neighbours.set(entry, { newer: list[index - 1] ?? null, older: list[index + 1] ?? null });
  }
  return neighbours;
}
