import type { Nodes, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

// One frozen processor for the whole run: building it costs more than parsing a short article.
const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).freeze();

/**
 * Parses a content file into mdast, positions kept; the front matter becomes
 * a leading `yaml` node. Raw HTML is not content (the page never shows it),
 * so it is dropped here, where every later step — anchor ids, excerpts,
 * descriptions, reading time — sees the same text the page shows.
 */
export function parseMarkdown(text: string): Root {
  const tree = parser.parse(text);
  dropRawHtml(tree);
  return tree;
}

/** Removes every raw HTML node, and the paragraphs that held nothing else. */
function dropRawHtml(tree: Root): void {
  // A loop over a stack rather than recursion: nesting depth is bounded (parse/limits.ts), but not small.
  const stack: Nodes[] = [tree];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (!('children' in node)) continue;
    const children = node.children as Nodes[];
    if (children.some((child) => child.type === 'html' || isHtmlOnly(child))) {
      (node as { children: Nodes[] }).children = children.filter((child) => child.type !== 'html' && !isHtmlOnly(child));
    }
    for (const child of node.children as Nodes[]) stack.push(child);
  }
}

/** A paragraph of inline HTML and white space only (`<span>x</span>` would keep its x). */
function isHtmlOnly(node: Nodes): boolean {
  return (
    node.type === 'paragraph' &&
    node.children.some((child) => child.type === 'html') &&
    node.children.every((child) => child.type === 'html' || (child.type === 'text' && child.value.trim() === ''))
  );
}
