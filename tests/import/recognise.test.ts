import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recogniseReport } from '../../src/import/index.js';
import { fixtures, seedFile } from '../helpers/paths.js';

const importFixtures = path.join(fixtures, 'import');

describe('recogniseReport on the Meizhou seed', () => {
  const { report, encoding } = recogniseReport(readFileSync(seedFile), seedFile);

  it('should split the headline into kicker and title', () => {
    expect(report.kicker).toBe('教育走深走实 激活“神经末梢”');
    expect(report.title).toBe('梅州打通基层党组织开展主题教育“最后一公里”纪实');
    expect(report.subtitle).toBeNull();
  });

  it('should read both byline lines as role/name pairs', () => {
    expect(report.byline).toEqual([
      { role: '首席记者', name: '张柯' },
      { role: '通讯员', name: '蓝华林' },
    ]);
  });

  it('should find one lead paragraph and three sections with 6, 4 and 4 paragraphs', () => {
    expect(report.lead).toHaveLength(1);
    expect(report.lead[0]).toMatch(/^自第二批“不忘初心、牢记使命”主题教育开展以来/);
    expect(report.sections.map((section) => [section.heading, section.subheading, section.paragraphs.length])).toEqual([
      ['抓载体创新', '推动学习教育全覆盖', 6],
      ['抓关键少数', '推动领导责任落到底', 4],
      ['抓作用发挥', '推动基层党员作表率', 4],
    ]);
  });

  it('should keep the 新闻推荐 block out of the body', () => {
    expect(report.related).toHaveLength(1);
    expect(report.related[0]).toMatch(/^“关爱环卫工/);
    const body = [...report.lead, ...report.sections.flatMap((section) => section.paragraphs)].join('\n');
    expect(body).not.toContain('新闻推荐');
    expect(body).not.toContain('环卫工');
    expect(report.sections.at(-1)?.paragraphs.at(-1)).toMatch(/为企业解决难题。$/);
  });

  it('should report UTF-8 and Chinese', () => {
    expect(encoding).toBe('utf-8');
    expect(report.lang).toBe('zh-Hans');
  });
});

// Each fixture report has an expected JSON file beside it; UPDATE=1 rewrites them (read the diff before committing).
describe('recogniseReport on fixture reports', () => {
  const reports = readdirSync(importFixtures).filter((name) => name.endsWith('.txt'));

  it('should have at least eight fixture reports', () => {
    expect(reports.length).toBeGreaterThanOrEqual(8);
  });

  it.each(reports)('should recognise %s as its expected structure', (name) => {
    const file = path.join(importFixtures, name);
    const { report } = recogniseReport(readFileSync(file), name);
    const expectedFile = file.replace(/\.txt$/, '.json');
    if (process.env.UPDATE) writeFileSync(expectedFile, `${JSON.stringify(report, null, 2)}\n`);
    expect(report).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
  });
});

describe('recogniseReport on encodings and layouts', () => {
  it('should detect GB18030 without being told', () => {
    const file = path.join(importFixtures, 'paren-headings.gb18030.txt');
    const bytes = readFileSync(file);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const { report, encoding } = recogniseReport(bytes, file);
    expect(encoding).toBe('gb18030');
    expect(report.title).toBe('平远县“一村一品”带旺乡村产业');
    expect(report.sections.map((section) => section.heading)).toEqual(['做强脐橙产业', '做活乡村旅游']);
  });

  it('should read a CRLF file with a byte-order mark and justified byline', () => {
    const bytes = readFileSync(path.join(importFixtures, 'square-justified.txt'));
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.includes(Buffer.from('\r\n'))).toBe(true);
    const { report } = recogniseReport(bytes, 'square-justified.txt');
    expect(report.title).toBe('兴宁：小水电站变身“生态站”');
    expect(report.byline[0]).toEqual({ role: '通讯员', name: '蓝华林' });
    expect(report.sections.map((section) => section.heading)).toEqual(['退出一批', '改造一批']);
  });

  it('should give the same structure whatever the line endings, indentation and blank lines', () => {
    const plain = '标题\n记者 张三\n第一段。\n小标题\n第二段。\n';
    const messy = '\ufeff标题  \r\n\r\n　　记者 张三\r\n\r\n　　第一段。 \r\n\r\n小标题\r\n\r\n　　第二段。\r\n';
    const a = recogniseReport(Buffer.from(plain), 'a.txt').report;
    const b = recogniseReport(Buffer.from(messy), 'b.txt').report;
    expect(b).toEqual(a);
    expect(a.sections).toEqual([{ heading: '小标题', subheading: null, paragraphs: ['第二段。'] }]);
  });

  it('should keep the lead text after an inline byline and record the dateline', () => {
    const { report } = recogniseReport(readFileSync(path.join(importFixtures, 'inline-byline-brief.txt')), 'brief.txt');
    expect(report.dateline).toBe('本报讯');
    expect(report.byline).toEqual([
      { role: '记者', name: '王丽' },
      { role: '通讯员', name: '黄志强' },
    ]);
    expect(report.lead[0]).toBe('近日，蕉岭县新铺镇5座村级文化室建成投用，村民在家门口就能读书看报、排练节目。');
    expect(report.sections).toEqual([]);
    expect(report.lead).toContain('“这条路，我们盼了二十年。”');
  });

  it('should move footer metadata and captions out of the paragraphs', () => {
    const { report } = recogniseReport(readFileSync(path.join(importFixtures, 'bracket-footer.txt')), 'footer.txt');
    const body = [...report.lead, ...report.sections.flatMap((section) => section.paragraphs)].join('\n');
    for (const residue of ['原标题', '来源', '责任编辑', '图为', '相关新闻']) expect(body).not.toContain(residue);
    expect(report.originalTitle).toBe('党课搬进祠堂 群众听得入耳');
    expect(report.source).toBe('梅州日报');
    expect(report.editors).toEqual([
      { role: '责任编辑', name: '刘明' },
      { role: '审核', name: '钟华' },
    ]);
    expect(report.captions).toEqual([{ text: '图为党员讲师在祠堂为村民上党课。', credit: '记者 曾文涛 摄' }]);
    expect(report.related).toEqual(['五华县推进乡村振兴示范带建设', '梅州举行“客家文化进校园”活动']);
  });

  it('should import an English report of the same shape', () => {
    const { report } = recogniseReport(readFileSync(path.join(importFixtures, 'english.txt')), 'english.txt');
    expect(report.lang).toBe('en');
    expect(report.title).toBe('Mountain schools go online');
    expect(report.subtitle).toBe('Dabu County shares classroom resources between town and village');
    expect(report.byline.map((entry) => entry.name)).toEqual(['Li Ming', 'Chen Fang']);
    expect(report.lead).toHaveLength(2);
    expect(report.lead[1]).toMatch(/^By the end of November/);
    expect(report.sections.map((section) => section.subheading)).toEqual([
      'Every village school gets the same equipment',
      'Town and village teachers plan lessons together',
    ]);
    expect(report.related).toHaveLength(2);
    expect(report.source).toBe('Meizhou Daily');
  });
});
