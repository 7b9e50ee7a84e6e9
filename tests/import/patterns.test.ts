import { describe, expect, it } from 'vitest';
import { parseByline } from '../../src/import/byline.js';
import { endsLikeSentence, footerLine, headingText, inlineByline, isRelatedMarker, splitRelatedTail } from '../../src/import/patterns.js';

describe('headingText', () => {
  it.each([
    ['抓载体创新', '抓载体创新'],
    ['推动学习教育全覆盖', '推动学习教育全覆盖'],
    ['一、坚持高位推动', '坚持高位推动'],
    ['（三）做活乡村旅游', '做活乡村旅游'],
    ['(二)做强产业', '做强产业'],
    ['【课堂搬到家门口】', '课堂搬到家门口'],
    ['■ 退出一批', '退出一批'],
    ['Building the platform', 'Building the platform'],
  ])('should read %s as the heading %s', (line, heading) => {
    expect(headingText(line)).toBe(heading);
  });

  it.each([
    '“这条路，我们盼了二十年。”',
    '他说：',
    '一、坚持高位推动。市委高度重视，成立专班推进。',
    '今年以来，全县新建文化室5座，惠及群众2万多人次，受到广泛好评',
    'The county opened five reading rooms this year.',
    'This line is clearly far too long to be a heading in any ordinary English newspaper report today',
  ])('should read %s as prose', (line) => {
    expect(headingText(line)).toBeNull();
  });
});

describe('endsLikeSentence', () => {
  it.each([
    ['好。', true],
    ['“好。”', true],
    ['（好！）', true],
    ['“好”', false],
    ['抓关键少数', false],
  ])('%s → %s', (line, expected) => {
    expect(endsLikeSentence(line)).toBe(expected);
  });
});

describe('parseByline', () => {
  it.each([
    ['●首席记者张柯', [{ role: '首席记者', name: '张柯' }]],
    ['通 讯 员蓝华林', [{ role: '通讯员', name: '蓝华林' }]],
    ['通 讯 员  蓝 华 林', [{ role: '通讯员', name: '蓝华林' }]],
    ['◎ 记者 某某 实习生 某某', [{ role: '记者', name: '某某' }, { role: '实习生', name: '某某' }]],
    ['记者 张三 李四', [{ role: '记者', name: '张三' }, { role: '记者', name: '李四' }]],
    ['记者 张三、李四 通讯员 王五 报道', [{ role: '记者', name: '张三' }, { role: '记者', name: '李四' }, { role: '通讯员', name: '王五' }]],
    ['By Zhang Ke and Lan Hualin', [{ role: 'Author', name: 'Zhang Ke' }, { role: 'Author', name: 'Lan Hualin' }]],
    ['By Zhang Ke, chief reporter', [{ role: 'Chief reporter', name: 'Zhang Ke' }]],
    ['Correspondent Lan Hualin', [{ role: 'Correspondent', name: 'Lan Hualin' }]],
    ['文/图 本报记者 刘某 通讯员 邹某', [{ role: '本报记者', name: '刘某' }, { role: '通讯员', name: '邹某' }]],
    ['文／本报记者 陈某 图／李某', [{ role: '本报记者', name: '陈某' }, { role: '摄影', name: '李某' }]],
    ['图/文 本报记者 刘某', [{ role: '本报记者', name: '刘某' }]],
    ['文、图/钟某', [{ role: '文/图', name: '钟某' }]],
    ['文/钟某 图/本报记者 李某', [{ role: '文', name: '钟某' }, { role: '摄影', name: '李某' }]],
    ['本报记者 刘某 通讯员 邹某 文/图', [{ role: '本报记者', name: '刘某' }, { role: '通讯员', name: '邹某' }]],
    ['刘某 摄', [{ role: '摄影', name: '刘某' }]],
    ['记者 刘某 摄', [{ role: '摄影', name: '刘某' }]],
    ['本报记者 刘某 摄影', [{ role: '摄影', name: '刘某' }]],
    ['★特约记者 孙某', [{ role: '特约记者', name: '孙某' }]],
    ['▲编辑 何某', [{ role: '编辑', name: '何某' }]],
    ['□ 见习记者 吴某 实习生 郑某', [{ role: '见习记者', name: '吴某' }, { role: '实习生', name: '郑某' }]],
    ['特约通讯员 周某，钟某', [{ role: '特约通讯员', name: '周某' }, { role: '特约通讯员', name: '钟某' }]],
  ])('should read %s', (line, expected) => {
    expect(parseByline(line)).toEqual(expected);
  });

  it.each(['记者从市委组织部获悉，今年以来全市新建文化室', '梅州市委组织部', 'By the end of the year, schools had opened', '记者', '记者节 梅州记者走基层', '梅州举办全国摄影', '刘某摄', '文/图'])(
    'should not read %s as a byline',
    (line) => {
      expect(parseByline(line)).toBeNull();
    },
  );
});

describe('inlineByline', () => {
  it('should split 本报讯（记者 某某 通讯员 某某） from the lead', () => {
    expect(inlineByline('本报讯（记者 王丽 通讯员 黄志强）近日，蕉岭县……')).toEqual({
      dateline: '本报讯',
      byline: [
        { role: '记者', name: '王丽' },
        { role: '通讯员', name: '黄志强' },
      ],
      rest: '近日，蕉岭县……',
    });
  });

  it('should accept an agency dateline', () => {
    expect(inlineByline('新华社广州11月26日电（记者 张三）日前……')?.dateline).toBe('新华社广州11月26日电');
  });

  it('should leave an ordinary parenthesis alone', () => {
    expect(inlineByline('梅江区通过开展镇(街道)领导班子成员下村(社区)送学')).toBeNull();
  });
});

describe('page residue', () => {
  it.each(['新闻推荐', '【相关新闻】', 'Related news', '>>延伸阅读'])('should read %s as the related marker', (line) => {
    expect(isRelatedMarker(line)).toBe(true);
  });

  it('should split a marker glued to the last paragraph', () => {
    expect(splitRelatedTail('住得更舒心了。新闻推荐“丰顺温泉节开幕”活动现场。')).toEqual({
      paragraph: '住得更舒心了。',
      related: '“丰顺温泉节开幕”活动现场。',
    });
  });

  it.each([
    ['（原标题：党课搬进祠堂）', { kind: 'originalTitle', value: '党课搬进祠堂' }],
    ['来源：梅州日报', { kind: 'source', value: '梅州日报' }],
    ['编辑：刘明', { kind: 'editors', value: [{ role: '编辑', name: '刘明' }] }],
    ['图为村民在文化室读书。  记者 钟静 摄', { kind: 'caption', value: { text: '图为村民在文化室读书。', credit: '记者 钟静 摄' } }],
    ['（完）', { kind: 'note', value: '（完）' }],
  ])('should read the footer %s', (line, expected) => {
    expect(footerLine(line)).toEqual(expected);
  });

  it('should not read a paragraph that mentions a source as a footer', () => {
    expect(footerLine('来源于群众的意见，县里逐条研究。')).toBeNull();
  });
});
