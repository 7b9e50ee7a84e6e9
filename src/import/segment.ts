import { BroadsheetError } from '../diagnostics/error.js';
import { isMostlyChinese } from './lines.js';
import {
  bylineLine,
  footerLine,
  headingText,
  inlineByline,
  isHeadlineLine,
  isRelatedMarker,
  markedHeading,
  splitRelatedTail,
  subtitleText,
  type FooterLine,
} from './patterns.js';
import { mentionsByline } from './byline.js';
import type { BylineEntry, Caption, ImportDoubt, ImportedReport, ImportedSection, SourceLine } from './types.js';

/** Metadata collected from footer lines wherever they appear. */
interface Footer {
  originalTitle: string | null;
  source: string | null;
  editors: BylineEntry[];
  captions: Caption[];
  notes: string[];
}

/** A recognised report, and where the recognition had to guess. */
export interface SegmentedReport {
  readonly report: ImportedReport;
  readonly doubts: readonly ImportDoubt[];
}

/**
 * Recognises the structure of a newspaper report from its lines: headline
 * (kicker, title, subtitle), byline, lead, sections, related teasers and
 * footer metadata. The order of the steps follows the page from top to
 * bottom; each step takes the lines the previous one left. A byline line
 * is never the headline, even above it.
 *
 * @throws {BroadsheetError} BS105 when there is no headline or no paragraph.
 */
export function segmentReport(lines: readonly SourceLine[], file: string): SegmentedReport {
  const footer: Footer = { originalTitle: null, source: null, editors: [], captions: [], notes: [] };
  const { article, related } = splitOffRelated(lines, footer);
  // Some papers print the byline above the headline: `文/图 本报记者 某某`.
  const above: BylineEntry[] = [];
  let first = 0;
  while (first < article.length) {
    const names = bylineLine(article[first]?.text ?? '');
    if (!names) break;
    above.push(...names);
    first++;
  }
  const headline = article[first];
  if (!headline) throw new BroadsheetError('BS105', first > 0 ? 'the text has a byline but no headline' : 'the text has no headline', { file, line: article[0]?.line ?? 1 });

  const rest = article.slice(first + 1).filter((line) => !takeFooter(line.text, footer));
  const header = readHeader(headline, rest);
  const body = readBody(rest.slice(header.consumed));
  if (body.lead.length === 0 && body.sections.length === 0) {
    throw new BroadsheetError('BS105', 'the text has a headline but no paragraphs', {
      file,
      line: headline.line,
      column: 1,
    });
  }
  const allText = lines.map((line) => line.text).join('\n');
  const report: ImportedReport = {
    title: header.title,
    kicker: header.kicker,
    subtitle: header.subtitle,
    byline: [...above, ...header.byline, ...body.byline],
    lead: body.lead,
    sections: body.sections,
    related,
    lang: isMostlyChinese(allText) ? 'zh-Hans' : 'en',
    dateline: body.dateline,
    ...footer,
  };
  return { report, doubts: headerDoubts(header.lines, report) };
}

/**
 * Where the headline was a guess: a headline line that has a byline's
 * words without reading as one, or a first line that reads like prose.
 */
function headerDoubts(headlines: readonly SourceLine[], report: ImportedReport): ImportDoubt[] {
  const doubts: ImportDoubt[] = [];
  const title = headlines.at(-1);
  for (const line of headlines) {
    const part = line !== title ? 'the kicker' : report.title === line.text ? 'the title' : `the headline (title "${report.title}")`;
    const read = `read "${quoted(line.text)}" as ${part}`;
    if (mentionsByline(line.text)) doubts.push({ line: line.line, message: `${read}, though it has the words of a byline; if it is one, put it on a line of its own` });
    else if (line === headlines[0] && !isHeadlineLine(line.text)) doubts.push({ line: line.line, message: `${read}, though it reads like a paragraph` });
  }
  return doubts;
}

/** A line as a warning quotes it: whole when short, its start otherwise, so that the warning stays one line. */
function quoted(text: string): string {
  const characters = [...text];
  return characters.length <= 30 ? text : `${characters.slice(0, 30).join('')}…`;
}

/** Cuts the page residue (新闻推荐 and what follows) off the article's lines. */
function splitOffRelated(
  lines: readonly SourceLine[],
  footer: Footer,
): { article: SourceLine[]; related: string[] } {
  const article: SourceLine[] = [];
  const related: string[] = [];
  let inRelated = false;
  for (const [index, line] of lines.entries()) {
    if (inRelated) {
      if (!takeFooter(line.text, footer)) related.push(line.text);
      continue;
    }
    if (index > 0 && isRelatedMarker(line.text)) {
      inRelated = true;
      continue;
    }
    const glued = index > 0 ? splitRelatedTail(line.text) : null;
    if (glued) {
      article.push({ text: glued.paragraph, line: line.line });
      if (glued.related) related.push(glued.related);
      inRelated = true;
      continue;
    }
    article.push(line);
  }
  return { article, related };
}

/** Moves a footer line's metadata into `footer`; false when the line is not footer metadata. */
function takeFooter(text: string, footer: Footer): boolean {
  const found: FooterLine | null = footerLine(text);
  if (!found) return false;
  switch (found.kind) {
    case 'originalTitle':
      footer.originalTitle = found.value;
      break;
    case 'source':
      footer.source = found.value;
      break;
    case 'editors':
      footer.editors.push(...found.value);
      break;
    case 'caption':
      footer.captions.push(found.value);
      break;
    case 'note':
      footer.notes.push(found.value);
      break;
  }
  return true;
}

interface Header {
  title: string;
  kicker: string | null;
  subtitle: string | null;
  byline: BylineEntry[];
  /** The headline lines, kicker first. */
  lines: SourceLine[];
  /** How many lines after the headline the header used. */
  consumed: number;
}

/**
 * Reads the headline block: more headline lines (a kicker above the title),
 * `——` subtitles and byline lines, up to the first paragraph.
 */
function readHeader(headline: SourceLine, rest: readonly SourceLine[]): Header {
  const headlines = [headline];
  const subtitles: string[] = [];
  const byline: BylineEntry[] = [];
  let index = 0;
  for (; index < rest.length; index++) {
    const text = rest[index]?.text ?? '';
    const names = bylineLine(text);
    const subtitle = subtitleText(text);
    if (names) byline.push(...names);
    else if (subtitle && byline.length === 0) subtitles.push(subtitle);
    else if (byline.length === 0 && headlines.length < 3 && isHeadlineLine(text) && !markedHeading(text)) {
      headlines.push(rest[index] as SourceLine);
    } else break;
  }
  return { ...splitHeadline(headlines.map((line) => line.text)), subtitle: subtitles.join(' ') || null, byline, lines: headlines, consumed: index };
}

/**
 * The last headline line is the main title; lines above it are the kicker.
 * A single Chinese line holding both separates them with spaces:
 * `教育走深走实 激活“神经末梢” 梅州打通……纪实`.
 */
function splitHeadline(lines: readonly string[]): { title: string; kicker: string | null } {
  // Headlines space their phrases with ideographic or doubled spaces; one space reads the same.
  const headlines = lines.map((line) => line.replace(/[\s\u3000]+/gu, ' '));
  if (headlines.length > 1) {
    return { title: headlines.at(-1) ?? '', kicker: headlines.slice(0, -1).join(' ') };
  }
  const only = headlines[0] ?? '';
  const parts = only.split(/[\s\u3000]+/u);
  if (parts.length > 1 && isMostlyChinese(only)) {
    return { title: parts.at(-1) ?? '', kicker: parts.slice(0, -1).join(' ') };
  }
  return { title: only, kicker: null };
}

interface Body {
  lead: string[];
  sections: ImportedSection[];
  byline: BylineEntry[];
  dateline: string | null;
}

/** Reads the lead and the sections from the lines after the header. */
function readBody(lines: readonly SourceLine[]): Body {
  const texts = lines.map((line) => line.text);
  const body: Body = { lead: [], sections: [], byline: [], dateline: null };
  const first = texts[0] === undefined ? null : inlineByline(texts[0]);
  if (first) {
    body.byline = first.byline;
    body.dateline = first.dateline;
    texts[0] = first.rest;
    if (first.rest === '') texts.shift();
  }
  let current: { heading: string; subheading: string | null; paragraphs: string[] } | null = null;
  for (let index = 0; index < texts.length; index++) {
    const text = texts[index] ?? '';
    const heading = isSectionStart(texts, index) ? headingText(text) : null;
    if (heading === null) {
      (current?.paragraphs ?? body.lead).push(text);
      continue;
    }
    const next = texts[index + 1];
    const subheading = next !== undefined && isSectionStart(texts, index + 1) ? headingText(next) : null;
    current = { heading, subheading, paragraphs: [] };
    body.sections.push(current);
    if (subheading !== null) index += 1;
  }
  return body;
}

/** A heading-shaped line starts a section only if prose follows it somewhere. */
function isSectionStart(texts: readonly string[], index: number): boolean {
  const text = texts[index];
  if (text === undefined || headingText(text) === null) return false;
  return texts.slice(index + 1).some((later) => headingText(later) === null);
}
