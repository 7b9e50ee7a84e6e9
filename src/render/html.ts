import type { Root, RootContent } from 'mdast';
import rehypeStringify from 'rehype-stringify';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { StructuredArticle } from '../structure/article.js';
import type { Block, RenderedArticle } from '../types.js';

// Raw HTML in Markdown is dropped (remark-rehype's default): content is text, not markup.
const toHtml = unified().use(remarkRehype).use(rehypeStringify).freeze();

/**
 * Turns every block of an article into HTML, each carrying its anchor id.
 * The link-reference definitions travel with each block so that
 * `[text][ref]` resolves wherever the definition was written.
 */
export function renderArticleHtml({ article, definitions }: StructuredArticle): RenderedArticle {
  const render = (block: Block): Block<string> => ({ ...block, content: blockHtml(block, definitions) });
  return {
    ...article,
    lead: article.lead.map(render),
    sections: article.sections.map((section) => ({ ...section, blocks: section.blocks.map(render) })),
  };
}

function blockHtml(block: Block, definitions: readonly RootContent[]): string {
  const content = { ...block.content, data: { ...block.content.data, hProperties: { id: block.id } } } as RootContent;
  const root: Root = { type: 'root', children: [content, ...definitions] };
  return toHtml.stringify(toHtml.runSync(root)).trim();
}
