import type { ContentLimits } from '../model/config.js';
import { BroadsheetError } from '../diagnostics/error.js';
import { formatKilobytes } from '../diagnostics/format.js';
import type { Article } from '../model/article.js';

// A day of grace: an article dated tomorrow may be written today somewhere east of the build machine.
const FUTURE_GRACE_MS = 86_400_000;

/**
 * What is worth a word about a hand-written article that still builds: a
 * file above the size at which builds and search slow down, and a date
 * after today (a typo such as 2919 tops every listing and is announced to
 * news crawlers as recent). `now` is the build's clock: the warning may
 * change from day to day, the output never does.
 */
export function articleWarnings(article: Pick<Article, 'file' | 'bytes' | 'meta' | 'positions'>, limits: ContentLimits, now: number): BroadsheetError[] {
  const warnings: BroadsheetError[] = [];
  if (article.bytes > limits.warnBytes) {
    warnings.push(
      new BroadsheetError('BS215', `${article.file} is ${formatKilobytes(article.bytes)}, more than the ${formatKilobytes(limits.warnBytes)} above which builds and search slow down`, {
        file: article.file,
        severity: 'warning',
      }),
    );
  }
  const date = article.meta.date;
  if (date && Date.parse(`${date.sortKey}T00:00:00Z`) > now + FUTURE_GRACE_MS) {
    warnings.push(
      new BroadsheetError('BS218', `the date ${date.iso} is in the future`, { file: article.file, ...(article.positions.date ?? {}), severity: 'warning' }),
    );
  }
  return warnings;
}
