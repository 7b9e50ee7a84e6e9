import { BroadsheetError, type Place } from '../diagnostics/error.js';
import { outputPath } from './pages.js';
import type { PageKind, PagePlan } from '../model/page.js';

/** What writes one output path: a page, an asset, or a folder written whole (a search bundle). */
export interface Claim {
  /** A path inside the output folder; a folder written whole ends with `/`. */
  readonly path: string;
  /** Who claims it, as a reader of the error would name it. */
  readonly by: string;
  /** The content file behind the claim, and where in it, when there is one. */
  readonly place?: Place;
}

/**
 * Every path the build writes, in one registry, so that no two writers can
 * claim one address: an article and a generated listing (`content/archive/
 * 2019.md` and the year listing of 2019), an article and a search bundle
 * (`content/pagefind/…`), or a file where another page needs a folder
 * (`/zh-hans/feed.xml/` and the feed). Each clash is a located error naming
 * both; the content file's is the place, when one of them has a file.
 */
export function findClashes(claims: Iterable<Claim>): BroadsheetError[] {
  const files = new Map<string, Claim>();
  // Each folder that files are written in, with the first claim below it.
  const folders = new Map<string, Claim>();
  const wholeFolders: Claim[] = [];
  const errors: BroadsheetError[] = [];
  const reported = new Set<string>();
  const clash = (claim: Claim, other: Claim, path: string): void => {
    // An article's editions clash alike, each with its edition's page: say it once per content file.
    const key = claim.place?.file ?? other.place?.file ?? `${claim.by}\n${other.by}`;
    if (reported.has(key)) return;
    reported.add(key);
    errors.push(clashError(claim, other, path));
  };
  for (const claim of claims) {
    if (claim.path.endsWith('/')) {
      wholeFolders.push(claim);
      continue;
    }
    const earlier = files.get(claim.path);
    if (earlier) clash(claim, earlier, claim.path);
    else files.set(claim.path, claim);
    for (let slash = claim.path.indexOf('/'); slash >= 0; slash = claim.path.indexOf('/', slash + 1)) {
      const folder = claim.path.slice(0, slash + 1);
      if (!folders.has(folder)) folders.set(folder, claim);
    }
  }
  for (const [path, claim] of files) {
    const below = folders.get(`${path}/`);
    if (below) clash(below, claim, path);
  }
  for (const whole of wholeFolders) {
    for (const [path, claim] of files) if (path.startsWith(whole.path)) clash(claim, whole, path);
  }
  return errors;
}

/** The claim of a planned page: its output path, and who it is for a reader of the error. */
export function claimOf(plan: PagePlan): Claim {
  const path = outputPath(plan.url);
  if (plan.kind === 'article' || plan.kind === 'parallel') {
    const { file, positions } = plan.data.entry.article;
    const by = plan.kind === 'article' ? `${file} (${plan.url})` : `the parallel view of ${file} (${plan.url})`;
    return { path, by, place: { file, line: positions.slug?.line ?? 1, column: positions.slug?.column ?? 1 } };
  }
  return { path, by: `${GENERATED[plan.kind]} ${plan.url}` };
}

// Names of the generated pages, by kind, for clash messages.
const GENERATED: Readonly<Record<PageKind, string>> = {
  article: 'the article',
  parallel: 'the parallel view',
  home: 'the language chooser',
  'not-found': 'the page-not-found page',
  search: 'the search page',
  front: 'the front page',
  listing: 'the listing',
  terms: 'the index of terms',
  feed: 'the feed',
  'sitemap-index': 'the sitemap index',
  sitemap: 'the sitemap',
  'sitemap-news': 'the news sitemap',
  robots: 'robots.txt',
};

function clashError(claim: Claim, other: Claim, path: string): BroadsheetError {
  const [first, second] = claim.place || !other.place ? [claim, other] : [other, claim];
  return new BroadsheetError('BS207', `${first.by} and ${second.by} both write ${path}`, {
    ...first.place,
    hint: first.place
      ? 'Give the article another slug or move it to another folder. The addresses broadsheet writes itself are listed in docs/safety.md.'
      : undefined,
  });
}
