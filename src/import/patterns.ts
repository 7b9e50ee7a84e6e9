import { parseByline } from './byline.js';
import { hasChinese } from './lines.js';
import type { BylineEntry, Caption } from './types.js';

/**
 * Line-level recognisers for the parts of a newspaper page. Each is a small
 * pure function of one trimmed line, so the segmenter reads as a sequence of
 * decisions and each rule can be tested on its own.
 */

// Closing quotes and brackets may follow the sentence's final stop: “……二十年。”
const CLOSERS = /[”’」』》〉）)\]】"'\s]+$/u;
const SENTENCE_END = /[。！？!?…；;：:，,.、]$/u;
const SENTENCE_INSIDE = /[。！？!?](?=.)/u;

/** True when the line ends like a sentence (before any closing quotes), so it is prose, not a heading. */
export function endsLikeSentence(text: string): boolean {
  return SENTENCE_END.test(text.replace(CLOSERS, ''));
}

const MARKED_HEADINGS: readonly RegExp[] = [
  /^[一二三四五六七八九十百零〇]+[、.．]\s*(.+)$/u,
  /^[（(][一二三四五六七八九十]+[)）]\s*(.+)$/u,
  /^【([^】]+)】$/u,
  /^[■□◆◇▲△▶►]\s*(.+)$/u,
];

/** The heading text without its marker when the line is a `一、`/`（一）`/`【】`/`■` heading. */
export function markedHeading(text: string): string | null {
  for (const pattern of MARKED_HEADINGS) {
    const match = pattern.exec(text);
    const inner = match?.[1]?.trim();
    if (inner && isShortTitle(inner, 40)) return inner;
  }
  return null;
}

/**
 * The heading text when the line can be a section heading or subheading:
 * a marked heading, or a short line that does not read like a sentence.
 */
export function headingText(text: string): string | null {
  return markedHeading(text) ?? (isShortTitle(text, 20) ? text : null);
}

/** Short, no sentence inside or at the end: the shape of a heading. */
export function isShortTitle(text: string, maxChineseLength: number): boolean {
  if (endsLikeSentence(text) || SENTENCE_INSIDE.test(text)) return false;
  if (hasChinese(text)) return [...text].length <= maxChineseLength;
  const words = text.split(/\s+/).length;
  return words <= 12 && text.length <= 90;
}

/** A headline-like line in the header: shorter than a paragraph and not a sentence. */
export function isHeadlineLine(text: string): boolean {
  return isShortTitle(text, 40) && parseByline(text) === null;
}

/** The subtitle text when the line is a `——…` subtitle. */
export function subtitleText(text: string): string | null {
  const match = /^(?:——|—|--|－－|──)\s*(.+)$/u.exec(text);
  return match?.[1]?.trim() ?? null;
}

/** Byline entries when the whole line is a byline (`●首席记者张柯`). */
export function bylineLine(text: string): BylineEntry[] | null {
  if ([...text].length > 60 || endsLikeSentence(text.replace(/[。.]$/u, ''))) return null;
  return parseByline(text);
}

/** An inline byline at the start of the lead: `本报讯（记者 某某 通讯员 某某）…`. */
export interface InlineByline {
  readonly dateline: string;
  readonly byline: BylineEntry[];
  readonly rest: string;
}

const INLINE_BYLINE = /^([^（(。，,\s]{2,30}?(?:讯|电))\s*[（(]([^）)]{2,80})[）)]\s*(.*)$/u;

/** Splits an agency marker and a parenthesised byline off the start of a paragraph. */
export function inlineByline(text: string): InlineByline | null {
  const match = INLINE_BYLINE.exec(text);
  if (!match) return null;
  const byline = parseByline(match[2] ?? '');
  if (!byline) return null;
  return { dateline: match[1] ?? '', byline, rest: (match[3] ?? '').replace(/^[\s—-]+/u, '') };
}

const RELATED_MARKERS = '新闻推荐|相关新闻|相关阅读|推荐阅读|延伸阅读|相关报道|Related news|Related stories|Related articles|Related|More news|Read more';
const RELATED_LINE = new RegExp(`^[【\\[>»《\\s]*(?:${RELATED_MARKERS})[】\\]》:：\\s]*$`, 'iu');
const RELATED_AFTER_SENTENCE = new RegExp(
  `^(.*[。！？!?.”"」』])\\s*(?:${RELATED_MARKERS.split('|').slice(0, 6).join('|')}|Related news)[：:]?\\s*(.*)$`,
  'u',
);

/** True when the line opens the page's block of other articles' teasers. */
export function isRelatedMarker(text: string): boolean {
  return RELATED_LINE.test(text);
}

/**
 * Splits a line where the page residue was glued onto the last paragraph:
 * `……解决难题。新闻推荐“关爱环卫工……`.
 */
export function splitRelatedTail(text: string): { paragraph: string; related: string } | null {
  const match = RELATED_AFTER_SENTENCE.exec(text);
  if (!match?.[1]) return null;
  return { paragraph: match[1].trim(), related: (match[2] ?? '').trim() };
}

/** Metadata that page footers carry. */
export type FooterLine =
  | { readonly kind: 'originalTitle'; readonly value: string }
  | { readonly kind: 'source'; readonly value: string }
  | { readonly kind: 'editors'; readonly value: BylineEntry[] }
  | { readonly kind: 'caption'; readonly value: Caption }
  | { readonly kind: 'note'; readonly value: string };

const EDITOR_ROLES = '责任编辑|值班编辑|编辑|审核|审校|校对|监制|统筹|主编|Editor|Edited by';
const EDITOR_PAIR = new RegExp(`(${EDITOR_ROLES})\\s*[：:]\\s*([^\\s：:]+(?:\\s+(?!(?:${EDITOR_ROLES})\\s*[：:])[^\\s：:]+)*)`, 'giu');

/** Recognises footer metadata: original title, source, editors, photo captions, end marks. */
export function footerLine(text: string): FooterLine | null {
  const original = /^[（(]\s*原标题\s*[：:]\s*(.+?)\s*[)）]$|^(?:\(\s*)?Original title\s*:\s*(.+?)\)?$/iu.exec(text);
  if (original) return { kind: 'originalTitle', value: (original[1] ?? original[2] ?? '').trim() };
  const source = /^[（(]?(?:来源|稿源|Source)\s*[：:]\s*(.+?)[)）]?$/iu.exec(text);
  if (source?.[1]) return { kind: 'source', value: source[1].trim() };
  const editors = editorLine(text);
  if (editors) return { kind: 'editors', value: editors };
  const caption = captionLine(text);
  if (caption) return { kind: 'caption', value: caption };
  if (/^[（(【\[]\s*(?:完|END|ends)\s*[)）】\]]$/iu.test(text)) return { kind: 'note', value: text };
  return null;
}

function editorLine(text: string): BylineEntry[] | null {
  if (!new RegExp(`^[（(]?(?:${EDITOR_ROLES})\\s*[：:]`, 'iu').test(text) || [...text].length > 60) return null;
  const pairs = [...text.replace(/^[（(]|[)）]$/gu, '').matchAll(EDITOR_PAIR)];
  return pairs.map((pair) => ({ role: pair[1] ?? '', name: (pair[2] ?? '').trim() }));
}

const CAPTION_START = /^(?:图为|上图|下图|左图|右图|图\s*[：:]|图片\s*[：:]|Photo\s*:|Pictured\s*:|Above\s*:)/iu;
const CAPTION_CREDIT = /[\s\u3000]+((?:(?:本报)?(?:首席)?(?:记者|通讯员|摄影记者|实习生)\s*\S{1,8}\s*)+(?:摄|摄影|供图))[)）]?$|[（(]((?:[^（）()]{1,20})(?:摄|供图))[)）]$/u;

function captionLine(text: string): Caption | null {
  if ([...text].length > 200) return null;
  const credit = CAPTION_CREDIT.exec(text);
  if (!CAPTION_START.test(text) && !credit) return null;
  if (!credit) return { text, credit: null };
  return { text: text.slice(0, credit.index).trim(), credit: (credit[1] ?? credit[2] ?? '').trim() };
}
