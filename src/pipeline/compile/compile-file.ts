import type { Config } from '../../model/config.js';
import { BroadsheetError } from '../../diagnostics/error.js';
import { deriveArticle, type ConverterLookup } from '../../i18n/derive.js';
import { checkNesting } from '../../parse/limits.js';
import { parseMarkdown } from '../../parse/markdown.js';
import { renderArticleHtml } from '../../render/html.js';
import { toArticle } from '../../structure/article.js';
import { summariseText } from '../../structure/summary.js';
import type { RenderedArticle, SourceFile } from '../../model/article.js';

/**
 * One content file through parse, structure and HTML rendering; a source
 * file also yields its derived editions (Traditional from Simplified).
 * Depends on nothing but its arguments, so it can run in a worker and its
 * result can be cached by the file's content.
 */
export function compileFile(file: SourceFile, config: Config, converters: ConverterLookup): RenderedArticle[] {
  try {
    return structureOrOverflow(file, config, converters);
  } catch (error) {
    // The Markdown tools walk the tree recursively; a document nested thousands deep exhausts the stack.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new BroadsheetError('BS208', 'the Markdown is nested too deeply to be read (quotes or lists inside each other thousands of times)', {
        file: file.path,
        hint: 'Nest quotes and lists a few levels at most; check the file for a run of > or list markers.',
      });
    }
    throw error;
  }
}

function structureOrOverflow(file: SourceFile, config: Config, converters: ConverterLookup): RenderedArticle[] {
  checkNesting(file.text, file.path);
  const structured = toArticle(file, parseMarkdown(file.text), config);
  const rendered = [renderArticleHtml(structured, summariseText(structured.article, config.gazetteer))];
  for (const language of config.languages) {
    // Asked only for a file it converts: asking builds the converter.
    if (language.derive?.from !== file.lang) continue;
    const convert = converters.get(language.code);
    if (!convert) continue;
    const derived = deriveArticle(structured.article, language, convert);
    rendered.push(renderArticleHtml({ ...structured, article: derived }, summariseText(derived, config.gazetteer)));
  }
  return rendered;
}
