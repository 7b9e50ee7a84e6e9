import { parse, parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { SaxesParser } from 'saxes';
import { sanitizeSchema } from '../../src/render/html.js';

/** What a strict XML parser finds wrong with `text`: empty when it is well-formed XML. */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (error) => problems.push(error.message));
  try {
    parser.write(text).close();
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

/** The HTML parse errors of a whole document (the ones the HTML standard names), empty for a clean page. */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  parse(html, { onParseError: (error) => problems.push(`${error.code} at ${error.startLine}:${error.startCol}`) });
  return problems;
}

type Element = DefaultTreeAdapterMap['element'];
type ParentNode = DefaultTreeAdapterMap['parentNode'];

/**
 * The elements and attributes of an HTML fragment that the sanitiser's schema
 * (src/render/html.ts) would not let through, and links with a scheme it
 * does not allow: empty for a fragment that could have come from the page.
 */
export function outsideSchema(fragment: string): string[] {
  const found: string[] = [];
  const allowedTags = new Set(sanitizeSchema.tagNames ?? []);
  const attributesOf = (tag: string): Set<string> =>
    new Set([...(sanitizeSchema.attributes?.['*'] ?? []), ...(sanitizeSchema.attributes?.[tag] ?? [])].map((entry) => (typeof entry === 'string' ? entry : String(entry[0]))));
  const stack: ParentNode[] = [parseFragment(fragment)];
  for (let node = stack.pop(); node; node = stack.pop()) {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue;
      const element = child as Element;
      if (!allowedTags.has(element.tagName)) found.push(`<${element.tagName}>`);
      const allowed = attributesOf(element.tagName);
      for (const attribute of element.attrs) {
        const name = attribute.name === 'class' ? 'className' : attribute.name;
        if (!allowed.has(name) && !allowed.has(attribute.name)) found.push(`<${element.tagName} ${attribute.name}>`);
        if ((attribute.name === 'href' || attribute.name === 'src') && /^\s*(?:javascript|data|vbscript):/i.test(attribute.value)) found.push(`<${element.tagName} ${attribute.name}="${attribute.value}">`);
      }
      stack.push(element);
    }
  }
  return found;
}

/** The elements of an HTML fragment, by tag name: none for plain text that was escaped. */
export function elementsOf(fragment: string): string[] {
  const found: string[] = [];
  const stack: ParentNode[] = [parseFragment(fragment)];
  for (let node = stack.pop(); node; node = stack.pop()) {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue;
      found.push((child as Element).tagName);
      stack.push(child as Element);
    }
  }
  return found;
}

/** The text (CDATA included) of every element named `name` in an XML document, in document order. */
export function xmlTexts(xml: string, name: string): string[] {
  const texts: string[] = [];
  const open: { name: string; text: string }[] = [];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => open.push({ name: tag.name, text: '' }));
  parser.on('text', (text) => {
    const current = open.at(-1);
    if (current) current.text += text;
  });
  parser.on('cdata', (text) => {
    const current = open.at(-1);
    if (current) current.text += text;
  });
  parser.on('closetag', () => {
    const closed = open.pop();
    if (closed?.name === name) texts.push(closed.text);
  });
  parser.write(xml).close();
  return texts;
}

/** The attributes of every element named `name` in an XML document. */
export function xmlAttributes(xml: string, name: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    if (tag.name === name) found.push(Object.fromEntries(Object.entries(tag.attributes).map(([key, value]) => [key, String(value)])));
  });
  parser.write(xml).close();
  return found;
}
