import type { Heading, Paragraph, Root, RootContent } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import YAML from 'yaml';
import type { ImportedReport } from './types.js';

/** Options for {@link toMarkdown}. */
export interface ToMarkdownOptions {
  /** Recorded in front matter as `importedFrom`, for provenance. */
  readonly sourceName?: string;
  readonly slug?: string;
}

const stringifier = unified().use(remarkFrontmatter, ['yaml']).use(remarkStringify, { bullet: '-' }).freeze();

/**
 * Writes an imported report as a content file: YAML front matter for the
 * metadata, Markdown for the body (lead paragraphs, `##` headings, `###`
 * subheadings). Serialising through mdast lets remark escape whatever in
 * the text would otherwise read as Markdown syntax.
 */
export function toMarkdown(report: ImportedReport, options: ToMarkdownOptions = {}): string {
  const tree: Root = {
    type: 'root',
    children: [{ type: 'yaml', value: frontMatterYaml(report, options) }, ...bodyNodes(report)],
  };
  return stringifier.stringify(tree);
}

function frontMatterYaml(report: ImportedReport, options: ToMarkdownOptions): string {
  const fields: Record<string, unknown> = {
    title: report.title,
    kicker: report.kicker,
    subtitle: report.subtitle,
    lang: report.lang,
    slug: options.slug,
    byline: report.byline.length > 0 ? report.byline.map((entry) => ({ ...entry })) : undefined,
    dateline: report.dateline,
    source: report.source,
    originalTitle: report.originalTitle,
    editors: report.editors.length > 0 ? report.editors.map((entry) => ({ ...entry })) : undefined,
    captions: report.captions.length > 0 ? report.captions.map((caption) => ({ ...caption })) : undefined,
    notes: report.notes.length > 0 ? [...report.notes] : undefined,
    related: report.related.length > 0 ? [...report.related] : undefined,
    importedFrom: options.sourceName,
  };
  const present = Object.fromEntries(Object.entries(fields).filter(([, value]) => value != null));
  return YAML.stringify(present, { lineWidth: 0 }).trimEnd();
}

function bodyNodes(report: ImportedReport): RootContent[] {
  const nodes: RootContent[] = report.lead.map(paragraph);
  for (const section of report.sections) {
    nodes.push(heading(2, section.heading));
    if (section.subheading !== null) nodes.push(heading(3, section.subheading));
    nodes.push(...section.paragraphs.map(paragraph));
  }
  return nodes;
}

function paragraph(text: string): Paragraph {
  return { type: 'paragraph', children: [{ type: 'text', value: text }] };
}

function heading(depth: 2 | 3, text: string): Heading {
  return { type: 'heading', depth, children: [{ type: 'text', value: text }] };
}
