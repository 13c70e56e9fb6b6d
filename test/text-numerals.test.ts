import { describe, expect, it } from 'vitest';
import { convertNumerals, extractQuantities, parseChineseNumber, toArabicNumerals } from '../src/text/numerals.js';

describe('parseChineseNumber', () => {
  it.each([
    ['一', 1],
    ['两', 2],
    ['十', 10],
    ['十五', 15],
    ['二十', 20],
    ['二十五', 25],
    ['一百', 100],
    ['一百零五', 105],
    ['一百二十', 120],
    ['三百五', 350],
    ['一千二', 1200],
    ['一万五', 15000],
    ['两万三千五', 23500],
    ['十万', 100000],
    ['一千二百万', 12000000],
    ['一亿二千万', 120000000],
    ['二〇二三', 2023],
    ['贰拾', 20],
  ])('%s → %d', (text, value) => {
    expect(parseChineseNumber(text)).toBe(value);
  });

  it.each(['', '一一', '七八', '千万', '万一', '百', '十百'])('rejects %j as one number', (text) => {
    expect(parseChineseNumber(text)).toBeNull();
  });
});

describe('toArabicNumerals', () => {
  it.each([
    ['二十', '20'],
    ['十五日', '15日'],
    ['一百二十', '120'],
    ['两个月', '2个月'],
    ['1.5万', '15000'],
    ['3万元', '30000元'],
    ['二十万元', '200000元'],
    ['5千元', '5000元'],
    ['百分之二十', '20%'],
    ['1,000元', '1000元'],
    ['自受理之日起二十个工作日内', '自受理之日起20个工作日内'],
    ['十多天', '10多天'],
    ['第三个工作日', '第3个工作日'],
    ['一年半', '1年半'],
    ['二〇二三年', '2023年'],
    ['五千米', '5000米'],
  ])('%s → %s', (text, expected) => {
    expect(toArabicNumerals(text)).toBe(expected);
  });

  it.each(['一般情况下', '统一办理', '十分重要', '千万不要', '一一对应', '三证合一', '五险一金', '七八个人', '万一'])(
    'leaves the word %s alone',
    (text) => {
      expect(toArabicNumerals(text)).toBe(text);
    },
  );

  it('maps positions in the converted text back to the original', () => {
    const conv = convertNumerals('需二十个工作日');
    expect(conv.text).toBe('需20个工作日');
    expect(conv.originalIndex(1)).toBe(1);
    expect(conv.originalEnd(3)).toBe(3);
    expect(conv.originalIndex(3)).toBe(3);
    expect(conv.originalEnd(conv.text.length)).toBe('需二十个工作日'.length);
  });
});

describe('extractQuantities', () => {
  const q = (text: string) => extractQuantities(text).map(({ value, unit }) => [value, unit]);

  it.each([
    ['二十个工作日内办结', [[20, '工作日']]],
    ['十五天', [[15, '日']]],
    ['十五日内', [[15, '日']]],
    ['两个月', [[2, '个月']]],
    ['3月', [[3, '个月']]],
    ['年满十八岁', [[18, '周岁']]],
    ['十六周岁', [[16, '周岁']]],
    ['有效期五年', [[5, '年']]],
    ['工本费每证10元', [[10, '元']]],
    ['注册资本3万元', [[30000, '元']]],
    ['一年半', [[1.5, '年']]],
    ['半个月', [[0.5, '个月']]],
    ['两周', [[2, '周']]],
    ['24小时', [[24, '小时']]],
    ['百分之二十', [[20, '%']]],
    ['请拨打12345', []],
    ['2023年3月1日起施行', []],
    ['每月15日前申报', []],
  ])('%s', (text, expected) => {
    expect(q(text)).toEqual(expected);
  });

  it('gives both bounds of a range with the range attached', () => {
    const qs = extractQuantities('3至5个工作日');
    expect(qs.map((x) => x.value)).toEqual([3, 5]);
    expect(qs.every((x) => x.unit === '工作日' && x.range?.[0] === 3 && x.range?.[1] === 5)).toBe(true);
  });

  it('marks ordinals', () => {
    expect(extractQuantities('第3个工作日')[0]?.ordinal).toBe(true);
    expect(extractQuantities('3个工作日')[0]?.ordinal).toBe(false);
  });

  it('reports positions in the original text', () => {
    const text = '自受理之日起二十个工作日内';
    const [x] = extractQuantities(text);
    expect(text.slice(x!.index, x!.end)).toBe('二十个工作日');
  });
});
