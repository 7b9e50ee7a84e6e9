import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { installFrameNamePaths } from '../../src/render/nunjucks-frames.js';

const render = (source: string, context: Record<string, unknown> = {}): string => new nunjucks.Environment(null, { autoescape: true }).renderString(source, context);

describe('setting template variables', () => {
  it('is installed on the Nunjucks release it was written against, and on no other', () => {
    expect(installFrameNamePaths()).toBe(true);
    expect(installFrameNamePaths('3.3.0')).toBe(false);
  });

  // The expected text is what Nunjucks 3.2.4 renders with its own Frame#set.
  it('keeps what loops, sets and macros see', () => {
    installFrameNamePaths();
    const source = [
      '{% set total = 0 %}',
      '{% for item in items %}{{ loop.index }}/{{ loop.length }}:{{ item }}{% if loop.first %}^{% endif %}{% if not loop.last %},{% endif %}{% set total = total + item %}{% endfor %}',
      ' total={{ total }}',
      '{% for outer in [1, 2] %}{% for inner in ["a", "b"] %} {{ loop.index0 }}{{ inner }}{{ outer }}{% endfor %}{{ loop.revindex }}{% endfor %}',
      '{% macro pair(left, right="r") %}[{{ left }}{{ right }}]{% endmacro %} {{ pair("l") }}{{ pair("x", right="y") }}',
      '{% for key, value in {k: "v"} %} {{ key }}={{ value }}{% endfor %}',
    ].join('');
    expect(render(source, { items: [1, 2, 3] })).toBe('1/3:1^,2/3:2,3/3:3 total=6 0a1 1b12 0a2 1b21 [lr][xy] k=v');
  });
});
