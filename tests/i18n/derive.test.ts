import { describe, expect, it } from 'vitest';
import { createConverter } from '../../src/i18n/derive.js';

describe('createConverter', () => {
  const settings = { variant: 'tw' as const, cornerQuotes: true, overrides: { 两百多年历史: '兩百多年歷史' }, from: 'zh-Hans' };

  it('should convert characters, then apply overrides and corner quotes', () => {
    const convert = createConverter(settings);
    expect(convert('党员组织学习')).toBe('黨員組織學習');
    expect(convert('围龙屋有两百多年历史')).toBe('圍龍屋有兩百多年歷史');
    expect(convert('“最后一公里”和‘神经末梢’')).toBe('「最後一公里」和『神經末梢』');
  });

  it('should keep curly quotes when corner quotes are off, and leave Latin text alone', () => {
    const convert = createConverter({ ...settings, cornerQuotes: false });
    expect(convert('“学习” Party members')).toBe('“學習” Party members');
  });
});
