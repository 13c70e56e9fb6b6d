import { describe, expect, it } from 'vitest';
import { changeFact, statesValue, wrongValue } from '../src/demo/change-fact.js';
import { dropKeyPoints, keyPointFound } from '../src/demo/drop-key-points.js';
import { toChineseInteger } from '../src/demo/number-forms.js';
import { createDraw, hashParts } from '../src/demo/prng.js';
import { mulberry32 } from '../src/util/random.js';
import type { Fact, KeyPoint } from '../src/domain/types.js';

const kp = (id: string, ...match: string[]): KeyPoint => ({ id, text: id, match });
const fact = (id: string, value: number, unit: string, context: string[] = [], text = `${value}${unit}`): Fact => ({
  id,
  text,
  value,
  unit,
  also: [],
  context,
});

describe('dropKeyPoints', () => {
  const list = '一般需提交：申请表；营业执照；执业药师证书。自受理之日起20个工作日内作出决定。';
  const kps = [kp('form', '申请表'), kp('licence', '营业执照'), kp('pharmacist', '执业药师'), kp('days', '/20个工作日/')];

  it.each([
    { drop: ['licence'], text: '一般需提交：申请表；执业药师证书。自受理之日起20个工作日内作出决定。' },
    { drop: ['pharmacist'], text: '一般需提交：申请表；营业执照。自受理之日起20个工作日内作出决定。' },
    { drop: ['form', 'licence', 'pharmacist'], text: '自受理之日起20个工作日内作出决定。' },
    { drop: ['days'], text: '一般需提交：申请表；营业执照；执业药师证书。' },
    { drop: [], text: list },
  ])('cuts the list items or sentences of $drop', ({ drop, text }) => {
    const out = dropKeyPoints(list, kps, new Set(drop));
    expect(out.text).toBe(text);
    expect(out.dropped.sort()).toEqual([...drop].sort());
  });

  it('cuts an item of an enumeration inside a sentence that also carries a kept point', () => {
    const answer = '需提交身份证、照片、居住证明等材料。';
    const out = dropKeyPoints(answer, [kp('id', '身份证'), kp('photo', '照片'), kp('proof', '居住证明')], new Set(['photo']));
    expect(out).toEqual({ text: '需提交身份证、居住证明等材料。', dropped: ['photo'] });
  });

  it('cuts numbered lines and leaves the others', () => {
    const answer = '一般需提交以下材料：\n1. 申请表\n2. 营业执照\n3. 场所证明';
    const out = dropKeyPoints(answer, [kp('form', '申请表'), kp('licence', '营业执照'), kp('premises', '场所')], new Set(['licence']));
    expect(out.text).toBe('一般需提交以下材料：\n1. 申请表\n3. 场所证明');
  });

  it('drops no stranded conjunction where a clause lost its opening', () => {
    const answer = '在居住地居住半年以上，且符合稳定就业条件之一的，可以申领。';
    const out = dropKeyPoints(answer, [kp('half', '半年'), kp('job', '稳定就业')], new Set(['half']));
    expect(out.text).toBe('符合稳定就业条件之一的，可以申领。');
  });

  it('leaves a point that cannot go without taking a kept one, and the text intact', () => {
    const answer = '未经批准不得变更。';
    const kps2 = [kp('approved', '经批准'), kp('unauthorised', '未经批准')];
    expect(dropKeyPoints(answer, kps2, new Set(['unauthorised']))).toEqual({ text: answer, dropped: [] });
  });

  it('breaks a regex match that spans two clauses without losing kept points', () => {
    const answer = '经营处方药的应配备药师。只经营乙类非处方药的可配备业务人员。';
    const kps2 = [kp('rx', '/处方药.{0,20}药师/'), kp('otc', '/乙类.{0,10}业务人员/')];
    const out = dropKeyPoints(answer, kps2, new Set(['rx']));
    expect(out.dropped).toEqual(['rx']);
    expect(keyPointFound(out.text, kps2[1]!)).toBe(true);
  });
});

describe('changeFact', () => {
  it('rewrites an Arabic value followed by its unit, in place', () => {
    const f = fact('days', 20, '工作日', ['作出决定']);
    const { text, change } = changeFact('自受理之日起20个工作日内作出决定。', f, [f], 0);
    expect(change).toEqual({ factId: 'days', from: 20, to: 40, appended: false });
    expect(text).toBe('自受理之日起40个工作日内作出决定。');
  });

  it('rewrites a Chinese value in Chinese, and treats 天 and 日 as one unit', () => {
    const f = fact('days', 15, '日', ['核发']);
    expect(changeFact('自受理之日起十五日内核发居住证。', f, [f], 0).text).toBe('自受理之日起三十日内核发居住证。');
    expect(changeFact('15天内核发。', f, [f], 0).text).toBe('30天内核发。');
  });

  it('changes only the sentence with the context phrase, and never to another fact of the unit', () => {
    const decide = fact('decide', 20, '工作日', ['作出决定']);
    const inspect = fact('inspect', 10, '工作日', ['现场检查']);
    const answer = '现场检查在10个工作日内完成；20个工作日内作出决定。';
    const { text, change } = changeFact(answer, inspect, [decide, inspect], 0);
    expect(change.to).not.toBe(20);
    expect(text).toBe(`现场检查在${change.to}个工作日内完成；20个工作日内作出决定。`);
  });

  it('does not touch a number inside a longer one or with another unit', () => {
    const f = fact('years', 5, '年');
    const { text } = changeFact('2025年起有效期5年，费用5元。', f, [f], 0);
    expect(text).toBe('2025年起有效期10年，费用5元。');
  });

  it('adds the fact with the wrong value when the answer does not state it', () => {
    const f = fact('fee', 10, '元', [], '工本费10元');
    const { text, change } = changeFact('免费办理', f, [f], 0);
    expect(change.appended).toBe(true);
    expect(text).toBe('免费办理。工本费20元。');
  });

  it('finds values written either way', () => {
    expect(statesValue('有效期两年', fact('y', 2, '年'))).toBe(true);
    expect(statesValue('有效期12年', fact('y', 2, '年'))).toBe(false);
    expect(wrongValue(fact('y', 2, '年'), [fact('y', 2, '年'), fact('z', 4, '年')], 0)).toBe(12);
  });
});

describe('number forms and draws', () => {
  it.each([
    [0, '零'],
    [3, '三'],
    [10, '十'],
    [15, '十五'],
    [20, '二十'],
    [105, '一百零五'],
    [1010, '一千零一十'],
    [30000, '三万'],
    [10015, '一万零一十五'],
    [1.5, undefined],
  ])('writes %s as %s', (n, chinese) => {
    expect(toChineseInteger(n)).toBe(chinese);
  });

  it('draws the same numbers from the same inputs, and spreads them evenly', () => {
    expect(createDraw(1, 'a', 'msg', 0)('x')).toBe(createDraw(1, 'a', 'msg', 0)('x'));
    expect(createDraw(1, 'a', 'msg', 0)('x')).not.toBe(createDraw(1, 'a', 'msg', 0)('y'));
    expect(hashParts('a', 'bc')).not.toBe(hashParts('ab', 'c'));
    const next = mulberry32(42);
    const buckets = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) buckets[Math.floor(next() * 4)]! += 1;
    for (const b of buckets) expect(b).toBeGreaterThan(900);
  });
});
