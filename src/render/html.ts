import type { Root, RootContent } from 'mdast';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { StructuredArticle } from '../structure/article.js';
import type { Block, RenderedArticle, SourceBlock, TextSummary } from '../model/article.js';

/**
 * What may reach the page from Markdown: GitHub's allow-list (no scripts, no
 * event handlers, links only to http, https, mailto and the like — never
 * `javascript:` or `data:`), plus our anchor ids kept as they are rather
 * than prefixed.
 */
export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  clobber: [],
  clobberPrefix: '',
  attributes: { ...defaultSchema.attributes, '*': [...(defaultSchema.attributes?.['*'] ?? []), 'id'] },
};

// Raw HTML in Markdown is dropped (remark-rehype's default): content is text, not markup. What the
// Markdown itself produces is sanitised, because a link can still carry a `javascript:` URL.
const toHtml = unified().use(remarkRehype).use(rehypeSanitize, sanitizeSchema).use(rehypeStringify).freeze();

/**
 * Turns every block of an article into HTML, each carrying its anchor id.
 * The link-reference definitions travel with each block so that
 * `[text][ref]` resolves wherever the definition was written.
 */
export function renderArticleHtml({ article, definitions }: StructuredArticle, summary: TextSummary): RenderedArticle {
  // The plain text is left behind: `summary` holds what the archive needs of it.
  const render = (block: SourceBlock): Block<string> => ({ id: block.id, content: blockHtml(block, definitions), position: block.position });
  return {
    ...article,
    lead: article.lead.map(render),
    sections: article.sections.map((section) => ({ ...section, blocks: section.blocks.map(render) })),
    summary,
  };
}

function blockHtml(block: SourceBlock, definitions: readonly RootContent[]): string {
  const content = { ...block.content, data: { ...block.content.data, hProperties: { id: block.id } } } as RootContent;
  const root: Root = { type: 'root', children: [content, ...definitions] };
  return toHtml.stringify(toHtml.runSync(root)).trim();
}
