/** Finding where a question names its matter, and restating it with the matter's other names (issue 15, `run --aliases`). */
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { ALIAS_STYLE_PREFIX } from '../src/domain/types.js';
import { aliasPhrasings } from '../src/banks/alias-phrasings.js';
import { countPlan, messagesOf, phrasingsOf, planFor } from '../src/runner/plan.js';
import { findMentions, renamings } from '../src/text/name-mentions.js';

const texts = (text: string, names: string[], others: string[] = []) => renamings(text, names, others).map((r) => [names[r.name], r.text]);

describe('findMentions', () => {
  it('prefers the longer name, so a name inside a longer one the text uses is not found on its own', () => {
    expect(findMentions('办户口迁移证要什么', ['户口迁移', '户口迁移证'])).toEqual([{ start: 1, end: 6, name: 1 }]);
    expect(findMentions('户口迁移要什么', ['户口迁移', '户口迁移证'])).toEqual([{ start: 0, end: 4, name: 0 }]);
  });

  it('finds a name written in traditional characters, full width, other case, or with title marks and spaces', () => {
    expect(findMentions('辦理臨時身份證要什麼', ['临时身份证'])).toEqual([{ start: 2, end: 7, name: 0 }]);
    expect(findMentions('ＥＴＣ卡怎么办', ['etc卡'])).toEqual([{ start: 0, end: 4, name: 0 }]);
    expect(findMentions('申请药品零售企业药品经营许可证核发', ['药品零售企业《药品经营许可证》核发', '药品经营许可证'])).toEqual([{ start: 2, end: 17, name: 0 }]);
    expect(findMentions('申请《 药品经营许可证 》', ['药品经营许可证'])).toEqual([{ start: 4, end: 11, name: 0 }]);
  });
});

describe('renamings', () => {
  const names = ['临时居民身份证', '临时身份证', '临时证'];

  it('restates a text naming the official name with each alias, and one naming an alias with the official name and the other aliases', () => {
    expect(texts('临时居民身份证怎么办理？', names)).toEqual([
      ['临时身份证', '临时身份证怎么办理？'],
      ['临时证', '临时证怎么办理？'],
    ]);
    expect(texts('临时证多久能拿到？', names)).toEqual([
      ['临时居民身份证', '临时居民身份证多久能拿到？'],
      ['临时身份证', '临时身份证多久能拿到？'],
    ]);
  });

  it('never replaces inside a longer name: an alias that contains the official name is replaced whole', () => {
    expect(texts('办户口迁移证要带什么？', ['户口迁移', '户口迁移证', '迁户口'])).toEqual([
      ['户口迁移', '办户口迁移要带什么？'],
      ['迁户口', '办迁户口要带什么？'],
    ]);
  });

  it('replaces every mention when the text names the matter twice, by one name or by two', () => {
    expect(texts('临时身份证丢了，临时身份证能补吗', names)[0]).toEqual(['临时居民身份证', '临时居民身份证丢了，临时居民身份证能补吗']);
    // Named two ways: each name is asked, its own included, since the text did not use it alone.
    expect(texts('临时证和临时身份证一样吗', names).map(([n]) => n)).toEqual(names);
    expect(texts('临时证和临时身份证一样吗', names)[2]).toEqual(['临时证', '临时证和临时证一样吗']);
  });

  it('gives nothing for a text that names no matter, or only inside a longer name of another matter', () => {
    expect(renamings('身份证丢了怎么办', names)).toEqual([]);
    expect(renamings('我要开居住证明', ['居住证', '暂住证'], ['居住证明'])).toEqual([]);
    expect(texts('居住证和居住证明都要吗', ['居住证', '暂住证'], ['居住证明'])).toEqual([['暂住证', '暂住证和居住证明都要吗']]);
  });

  it('keeps the text around a name written in traditional characters as it was, and asks names that fold alike once', () => {
    expect(texts('辦理臨時身份證要什麼', names)[0]).toEqual(['临时居民身份证', '辦理临时居民身份证要什麼']);
    expect(texts('临时证怎么办', ['临时居民身份证', '臨時居民身份證', '临时证']).map(([n]) => n)).toEqual(['临时居民身份证']);
  });
});

describe('alias phrasings of a run', () => {
  const banks = loadBanks(['test/fixtures/aliases']);
  const added = aliasPhrasings(banks);
  const byId = (id: string) => banks.questions.find((q) => q.id === id)!;

  it('adds, to each single question naming its matter, one case per other name, with negative variant indices fixed by the matter’s names', () => {
    expect(added(byId('fl-materials-01'))).toEqual([
      { variant: -2, style: `${ALIAS_STYLE_PREFIX}钓鱼证`, text: '办理钓鱼证需要准备什么材料？' },
      { variant: -3, style: `${ALIAS_STYLE_PREFIX}垂钓证`, text: '办理垂钓证需要准备什么材料？' },
    ]);
    expect(added(byId('fl-time-01')).map((p) => [p.variant, p.style])).toEqual([
      [-1, 'alias:休闲垂钓许可证核发'],
      [-3, 'alias:垂钓证'],
    ]);
    // No name in the text, a multi-turn script, and out-of-scope questions get none.
    for (const id of ['fl-place-02', 'fl-clarify-01', 'oos-chat-01']) expect(added(byId(id))).toEqual([]);
  });

  it('plans alias cases beside the bank’s phrasings without colliding, and finds each case’s text again from (question, variant)', () => {
    const q = byId('fl-materials-01');
    expect(phrasingsOf(q, added).map((p) => p.variant)).toEqual([0, 1, -2, -3]);
    expect(messagesOf(q, 1, added)).toEqual(['钓鱼证要带啥材料']);
    expect(messagesOf(q, -3, added)).toEqual(['办理垂钓证需要准备什么材料？']);
    expect(() => messagesOf(q, -1, added)).toThrow(/has no variant -1/);
    expect(countPlan(banks.questions, 2, added) - countPlan(banks.questions, 2)).toBe(2 * 6);
    const target = { id: 't' } as Parameters<typeof planFor>[0];
    const keys = [...planFor(target, banks.questions, 1, added)].map((c) => `${c.questionId}#${c.variant}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(aliasPhrasings(loadBanks(['test/fixtures/aliases']))(q)).toEqual(added(q));
  });
});
