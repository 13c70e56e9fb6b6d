import { describe, expect, it } from 'vitest';
import { cleanText, normalize, splitClauses, splitSentences, stripPunctuation } from '../src/text/normalize.js';
import { charBigrams, segment } from '../src/text/segment.js';
import { canonicalUnit, normalizeFactValue } from '../src/text/units.js';
import { mulberry32 } from '../src/util/random.js';

describe('normalize', () => {
  it.each([
    ['<p>请携带：身份证、营业执照！</p>', '请携带身份证营业执照'],
    ['ＡＢＣ１２３，全角', 'abc123全角'],
    ['需要 &nbsp;户口簿&amp;照片', '需要户口簿照片'],
    ['<script>alert("x")</script>不收费', '不收费'],
    ['\u001b[31m红字\u001b[0m', '红字'],
    ['费用1.5万元。', '费用1.5万元'],
    ['Hello, World!', 'helloworld'],
    ['比例 20％', '比例20%'],
  ])('%j → %j', (text, expected) => {
    expect(normalize(text)).toBe(expected);
  });

  it('strips exactly what its definition says, surrogate pairs and lone halves included', () => {
    // The definition: everything but letters, digits and %, and any '.' not between two digits.
    const definition = (t: string) => t.replace(/[^\p{L}\p{N}%.]+|(?<!\d)\.|\.(?!\d)/gu, '');
    const units = ['好', 'a', '0', '7', '9', '.', '%', '，', ' ', '\u{20000}', '\u{1F600}', '\u{1D7D8}', '\ud840', '\udc00', '·', '①'];
    const random = mulberry32(11);
    for (let round = 0; round < 500; round++) {
      const text = Array.from({ length: Math.floor(random() * 16) }, () => units[Math.floor(random() * units.length)]).join('');
      expect(stripPunctuation(text), JSON.stringify(text)).toBe(definition(text));
    }
  });

  it('converts numerals only when asked', () => {
    expect(normalize('二十个工作日')).toBe('二十个工作日');
    expect(normalize('二十个工作日', { numerals: true })).toBe('20个工作日');
  });

  it('keeps sentence boundaries in cleanText', () => {
    expect(cleanText('<p>第一句。</p><p>第二句</p>')).toBe('第一句。\n第二句');
    expect(cleanText('&#x4e00;&#19968;')).toBe('一一');
  });
});

describe('sentences and clauses', () => {
  it('splits sentences at 。！？；and line breaks', () => {
    expect(splitSentences('需要户口簿。还要照片！多久？三日；\n当场')).toEqual(['需要户口簿', '还要照片', '多久', '三日', '当场']);
  });

  it('splits clauses at commas too, not at 、', () => {
    expect(splitClauses('不需要验资报告、年检，需要营业执照。')).toEqual(['不需要验资报告、年检', '需要营业执照']);
  });
});

describe('segment', () => {
  it('segments with the jieba dictionary, not character by character', () => {
    expect(segment('需要准备哪些材料？')).toEqual(['需要', '准备', '哪些', '材料']);
  });

  it('gives character bigrams of Chinese runs', () => {
    expect(charBigrams('许可证ab办理')).toEqual(['许可', '可证', '办理']);
  });
});

describe('units', () => {
  it.each([
    ['天', '日'],
    ['日', '日'],
    ['个工作日', '工作日'],
    ['工作日', '工作日'],
    ['月', '个月'],
    ['个月', '个月'],
    ['岁', '周岁'],
    ['星期', '周'],
    ['元', '元'],
    ['份', '份'],
  ])('%s → %s', (unit, canonical) => {
    expect(canonicalUnit(unit).unit).toBe(canonical);
  });

  it('scales 万元 to 元', () => {
    expect(normalizeFactValue(3, '万元')).toEqual({ value: 30000, unit: '元' });
  });
});
