import { digest } from '../digest.js';
import type { Definition, Heading, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Config } from '../model/config.js';
import { BroadsheetError, BroadsheetErrors } from '../diagnostics/error.js';
import type { Article, Section, SourceBlock, SourceFile, SourcePosition } from '../model/article.js';
import { readFrontMatter } from './front-matter.js';

// A final `## 新闻推荐` section holds teasers for other articles, not body text.
const RELATED_HEADING = /^(?:新闻推荐|相关新闻|相关阅读|推荐阅读|延伸阅读|相关报道|related(?: news| stories| articles)?)$/i;

/** An article plus the link-reference definitions its blocks may use when rendered. */
export interface StructuredArticle {
  readonly article: Article;
  readonly definitions: readonly Definition[];
}

/**
 * Splits a parsed content file into the structured article: front matter,
 * lead (blocks before the first `##`), sections (`##` heading, optional
 * `###` subheading straight after it, blocks) and related teasers.
 *
 * @throws {BroadsheetErrors} for front matter problems and unsupported structure, each placed.
 */
export function toArticle(source: SourceFile, tree: Root, config: Config): StructuredArticle {
  const [first, ...body] = tree.children;
  if (first?.type !== 'yaml') {
    throw new BroadsheetError('BS209', 'the file does not start with front matter', { file: source.path, line: 1, column: 1 });
  }
  const frontMatter = readFrontMatter(`${first.value}\n`, source.path, (first.position?.start.line ?? 1) + 1, source.lang, config);
  const split = splitBody(body, source.path);
  return {
    article: {
      file: source.path,
      fingerprint: digest(source.lang, source.relativePath, source.text),
      bytes: source.bytes,
      positions: frontMatter.positions,
      key: source.key,
      lang: source.lang,
      meta: frontMatter.meta,
      lead: split.lead,
      sections: split.sections,
      related: [...frontMatter.related, ...split.related],
    },
    definitions: split.definitions,
  };
}

interface SplitBody {
  lead: SourceBlock[];
  sections: Section[];
  related: string[];
  definitions: Definition[];
}

interface OpenSection {
  heading: Heading;
  subheading: Heading | null;
  blocks: RootContent[];
}

function splitBody(nodes: readonly RootContent[], file: string): SplitBody {
  const lead: RootContent[] = [];
  const open: OpenSection[] = [];
  const definitions: Definition[] = [];
  const errors: BroadsheetError[] = [];
  for (const node of nodes) {
    const current = open.at(-1);
    if (node.type === 'definition') definitions.push(node);
    else if (node.type === 'heading' && node.depth === 1) errors.push(misplacedTitle(node, file));
    else if (node.type === 'heading' && node.depth === 2) open.push({ heading: node, subheading: null, blocks: [] });
    else if (node.type === 'heading' && node.depth === 3 && current && !current.subheading && current.blocks.length === 0) {
      current.subheading = node;
    } else (current?.blocks ?? lead).push(node);
  }
  if (errors.length > 0) throw new BroadsheetErrors(errors);
  const last = open.at(-1);
  const related = last && RELATED_HEADING.test(toString(last.heading).trim()) ? open.pop() : undefined;
  return {
    lead: toBlocks(lead, 'p'),
    sections: open.map((section, index) => toSection(section, `s${index + 1}`)),
    related: related ? relatedItems(related.blocks) : [],
    definitions,
  };
}

function misplacedTitle(node: Heading, file: string): BroadsheetError {
  return new BroadsheetError('BS208', 'a # heading in the body: the title belongs in front matter', {
    file,
    ...positionOf(node),
  });
}

function toSection(section: OpenSection, id: string): Section {
  return {
    id,
    heading: toString(section.heading).trim(),
    subheading: section.subheading ? toString(section.subheading).trim() : null,
    blocks: toBlocks(section.blocks, `${id}-p`),
    position: positionOf(section.heading),
  };
}

function toBlocks(nodes: readonly RootContent[], idPrefix: string): SourceBlock[] {
  return nodes.map((content, index) => ({ id: `${idPrefix}${index + 1}`, content, text: toString(content), position: positionOf(content) }));
}

/** Each list item or paragraph of the related section is one teaser. */
function relatedItems(blocks: readonly RootContent[]): string[] {
  return blocks.flatMap((block) =>
    block.type === 'list' ? block.children.map((item) => toString(item).trim()) : [toString(block).trim()],
  ).filter(Boolean);
}

function positionOf(node: RootContent): SourcePosition | null {
  const start = node.position?.start;
  return start ? { line: start.line, column: start.column } : null;
}
