import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeProject } from './cli.js';
import { root } from './paths.js';

/** What {@link writeCorpus} writes. */
export interface CorpusOptions {
  readonly articles: number;
  /** Also write an English translation of each report, aligned with it section by section. */
  readonly translations?: boolean;
  /** Another seed gives other texts and dates; the same seed gives the same bytes. */
  readonly seed?: number;
}

interface SourceText {
  readonly headings: readonly string[];
  readonly subheadings: readonly string[];
  readonly paragraphs: readonly string[];
}

// Places of the shipped gazetteer, in the two written languages.
const PLACES: readonly (readonly [string, string])[] = [
  ['梅江区', 'Meijiang District'],
  ['梅县区', 'Meixian District'],
  ['兴宁市', 'Xingning'],
  ['平远县', 'Pingyuan County'],
  ['蕉岭县', 'Jiaoling County'],
  ['大埔县', 'Dabu County'],
  ['丰顺县', 'Fengshun County'],
  ['五华县', 'Wuhua County'],
];
const AUTHORS = ['张柯', '蓝华林', '李明', '陈晓', '黄志强', '刘芳'];
const YEARS = [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024];

/**
 * Writes a synthetic archive made from the shipped report and its English
 * translation: `<year>/a000001.md` (and `.en.md`), each with a title, a date,
 * authors and places, a lead and three sections of three to six paragraphs
 * recombined from the report. Deterministic: report `i` is the same whatever
 * the number of reports, so a smaller corpus is part of a larger one.
 * Returns the paths written, relative to `dir`.
 */
export function writeCorpus(dir: string, options: CorpusOptions): string[] {
  const chinese = readSource('content/2019/meizhou-last-mile.md');
  const english = readSource('content/2019/meizhou-last-mile.en.md');
  const written: string[] = [];
  for (let index = 1; index <= options.articles; index++) {
    const random = generator((options.seed ?? 1) * 1_000_003 + index);
    const plan = planArticle(random, chinese);
    const name = `a${String(index).padStart(6, '0')}`;
    const folder = path.join(dir, String(plan.year));
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `${name}.md`), articleText(plan, chinese, 'zh-Hans'));
    written.push(`${plan.year}/${name}.md`);
    if (options.translations) {
      writeFileSync(path.join(folder, `${name}.en.md`), articleText(plan, english, 'en'));
      written.push(`${plan.year}/${name}.en.md`);
    }
  }
  return written;
}

/** The choices that make one report: the same for its translation, so that the two align. */
interface ArticlePlan {
  readonly year: number;
  readonly date: string;
  readonly place: readonly [string, string];
  readonly authors: readonly string[];
  readonly heading: number;
  /** Per section: its heading's index and the indexes of its paragraphs. */
  readonly sections: readonly { readonly heading: number; readonly paragraphs: readonly number[] }[];
  readonly lead: number;
}

function planArticle(random: () => number, source: SourceText): ArticlePlan {
  const pick = (count: number): number => Math.floor(random() * count);
  const year = YEARS[pick(YEARS.length)] ?? 2019;
  const date = `${year}-${String(1 + pick(12)).padStart(2, '0')}-${String(1 + pick(28)).padStart(2, '0')}`;
  const sections = [0, 1, 2].map(() => ({
    heading: pick(source.headings.length),
    paragraphs: Array.from({ length: 3 + pick(4) }, () => pick(source.paragraphs.length)),
  }));
  return { year, date, place: PLACES[pick(PLACES.length)] ?? ['梅江区', 'Meijiang District'], authors: [AUTHORS[pick(AUTHORS.length)] ?? '张柯'], heading: pick(source.headings.length), sections, lead: pick(source.paragraphs.length) };
}

function articleText(plan: ArticlePlan, source: SourceText, lang: 'zh-Hans' | 'en'): string {
  const at = (list: readonly string[], index: number): string => list[index % list.length] ?? '';
  const [chinesePlace, englishPlace] = plan.place;
  const title = lang === 'en' ? `${at(source.headings, plan.heading)} in ${englishPlace}` : `${chinesePlace}${at(source.headings, plan.heading)}`;
  const place = lang === 'en' ? englishPlace : chinesePlace;
  const lines = ['---', `title: "${title}"`, `date: ${plan.date}`, `lang: ${lang}`, `authors: [${plan.authors.join(', ')}]`, `places: [${place}]`, '---', '', at(source.paragraphs, plan.lead), ''];
  for (const section of plan.sections) {
    lines.push(`## ${at(source.headings, section.heading)}`, '', `### ${at(source.subheadings, section.heading)}`, '');
    for (const paragraph of section.paragraphs) lines.push(at(source.paragraphs, paragraph), '');
  }
  return lines.join('\n');
}

/** The headings, subheadings and paragraphs of a shipped content file, in order. */
function readSource(file: string): SourceText {
  const text = readFileSync(path.join(root, file), 'utf8');
  const body = text.slice(text.indexOf('\n---\n', 4) + 5);
  const related = body.search(/^## (新闻推荐|Related)/m);
  const blocks = (related >= 0 ? body.slice(0, related) : body).split(/\n\s*\n/).map((block) => block.trim()).filter(Boolean);
  return {
    headings: blocks.filter((block) => block.startsWith('## ')).map((block) => block.slice(3)),
    subheadings: blocks.filter((block) => block.startsWith('### ')).map((block) => block.slice(4)),
    paragraphs: blocks.filter((block) => !block.startsWith('#') && !block.startsWith('-')),
  };
}

/** mulberry32: a small seeded generator, so that a corpus is the same on every machine. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A project with the shipped content and a synthetic corpus in
 * `content/corpus/` (`articles` reports and their translations); search off
 * unless asked for, which keeps each build short.
 */
export async function makeCorpusProject(articles: number, options: { readonly search?: boolean } = {}): Promise<string> {
  const project = await makeProject({ search: options.search });
  writeCorpus(path.join(project, 'content/corpus'), { articles, translations: true });
  return project;
}
