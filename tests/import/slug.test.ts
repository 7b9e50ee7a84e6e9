import { describe, expect, it } from 'vitest';
import { slugFromTitle } from '../../src/import/slug.js';

describe('slugFromTitle', () => {
  it.each([
    ['梅州打通基层党组织开展主题教育“最后一公里”纪实', 'meizhou-datong-jiceng-dang-zuzhi-kaizhan-zhuti-jiaoyu-zuihou'],
    ['绿色发展', 'lvse-fazhan'],
    ['Meizhou hosts the 3rd Hakka Forum', 'meizhou-hosts-the-3rd-hakka-forum'],
    ['梅州２０１９年', 'meizhou-2019-nian'],
  ])('should romanise %s', (title, slug) => {
    expect(slugFromTitle(title)).toBe(slug);
  });

  it('should cut a long title between words, within 60 characters', () => {
    // The next word, shi, would make 61 characters.
    expect(slugFromTitle('中华人民共和国成立七十周年梅州市庆祝大会隆重举行全市各界人士欢聚一堂')).toBe('zhonghua-renmin-gongheguo-chengli-qishi-zhounian-mei-zhou');
  });

  it('should give nothing for a title with no letters or digits', () => {
    expect(slugFromTitle('“”！——')).toBeNull();
  });
});
