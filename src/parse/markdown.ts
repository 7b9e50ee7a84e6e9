import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

// One frozen processor for the whole run: building it costs more than parsing a short article.
const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).freeze();

/** Parses a content file into mdast, positions kept; the front matter becomes a leading `yaml` node. */
export function parseMarkdown(text: string): Root {
  return parser.parse(text);
}
