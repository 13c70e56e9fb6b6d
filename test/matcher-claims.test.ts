/**
 * The matcher against fluent wrong answers (issue 12): key points count only where they are asserted,
 * figures count against the step they are said of, old rules are outdated, lawful alternatives are
 * accepted, and the matcher says how sure it is — abstaining where its evidence is thin. On a made-up
 * bank (test/fixtures/matcher-claims), so nothing depends on the shipped banks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import type { BankSet, JudgedVerdict, Verdict } from '../src/domain/types.js';
import { createMatcherJudge, type MatcherJudge } from '../src/judge/matcher/index.js';

let banks: BankSet;
let judge: MatcherJudge;

beforeAll(() => {
  banks = loadBanks(['test/fixtures/matcher-claims']);
  judge = createMatcherJudge(banks);
});

function verdictOf(questionId: string, answer: string): JudgedVerdict {
  const question = banks.questions.find((q) => q.id === questionId)!;
  // The matcher judges synchronously; the Judge interface also allows promises.
  const v = judge.judge({ question, turn: 0, answer }) as Verdict;
  if (v.status !== 'judged') throw new Error(v.reason);
  return v;
}

describe('key points count only where the answer asserts them', () => {
  it('counts plainly stated key points, sure of it', () => {
    const v = verdictOf('tp-materials-01', '请携带身份证和购车发票，并提供交强险保险凭证。');
    expect(v.verdict).toBe('correct');
    expect(v.keyPointsHit).toEqual(['identity', 'invoice', 'insurance']);
    expect(v.uncertain).toBeUndefined();
    expect(v.confidence).toBeGreaterThanOrEqual(0.8);
  });

  it('takes a denied key point for an error, naming it', () => {
    const v = verdictOf('tp-materials-01', '办理临时号牌带身份证就行，不需要提供交强险保险凭证。');
    expect(v.verdict).toBe('incorrect');
    expect(v.intentRecognized).toBe(true);
    expect(v.contradictions).toContain('denies key point insurance');
    expect(v.rationale).toMatch(/denies what the reference requires \(insurance\)/);
  });

  it('takes a denial of a key point that is itself a negation for the key point', () => {
    const v = verdictOf('tp-agent-01', '不能找黄牛代办，请本人到车管所办理。');
    expect(v.verdict).toBe('correct');
    expect(v.keyPointsHit).toEqual(['no-broker', 'in-person']);
    expect(v.contradictions).toEqual([]);
  });

  it('does not take a key point denied in one clause and asserted in another for an error', () => {
    const v = verdictOf('tp-materials-01', '需要身份证和购车发票原件，发票复印件不需要了。');
    expect(v.verdict).toBe('correct');
    expect(v.contradictions).toEqual([]);
  });

  it('a denial reaches across a list but not across a turn of the sentence', () => {
    expect(verdictOf('tp-materials-01', '无需携带身份证原件和购车发票。').contradictions).toEqual(
      expect.arrayContaining(['denies key point identity', 'denies key point invoice']),
    );
    const turned = verdictOf('tp-materials-01', '无需复印件，但需要身份证和购车发票原件。');
    expect(turned.verdict).toBe('correct');
  });

  it('does not count guessed key points: a reply that only guesses and defers is no answer', () => {
    const v = verdictOf('tp-materials-01', '好像要身份证和购车发票吧，我也不太清楚，建议您去车管所问问。');
    expect(v.keyPointsHit).toEqual([]);
    expect(v.verdict).toBe('no-answer');
  });

  it('does not count key points the answer asks back about', () => {
    const v = verdictOf('tp-materials-01', '请问您是否已经购买交强险？是否带了身份证？');
    expect(v.keyPointsHit).toEqual([]);
    expect(v.verdict).not.toMatch(/correct|partial/);
  });

  it('sees a list of suggested questions that names the key points as no answer', () => {
    const v = verdictOf('tp-materials-01', '您是不是想问：\n1. 临时号牌需要身份证吗\n2. 临时号牌需要购车发票吗\n3. 临时号牌需要交强险吗');
    expect(v.keyPointsHit).toEqual([]);
    expect(v.verdict).toBe('no-answer');
    expect(v.rationale).toMatch(/suggested questions/);
  });

  it('sees a hand-off that only names the topic as no answer', () => {
    const v = verdictOf('tp-materials-01', '关于临时号牌所需身份证明的问题，已为您转接人工客服，请稍候。');
    expect(v.keyPointsHit).toEqual([]);
    expect(v.verdict).toBe('no-answer');
  });

  it('does not count key points said of another loaded matter', () => {
    const v = verdictOf('tp-materials-01', '补领驾驶证需要身份证和申请表。办临牌要带上购车发票。');
    expect(v.keyPointsHit).toEqual(['invoice']);
  });
});

describe('figures count against the step they are said of', () => {
  it('finds two figures swapped between the steps a clause names', () => {
    const v = verdictOf('tp-time-limit-01', '临时号牌15日内核发，拿到后有效期为1日。');
    expect(v.verdict).toBe('incorrect');
    expect(v.factErrors).toEqual(['issue', 'valid']);
  });

  it('accepts the same figures said of their own steps', () => {
    const v = verdictOf('tp-time-limit-01', '资料齐全当场核发，最迟1日内核发，有效期15日。');
    expect(v.verdict).toBe('correct');
    expect(v.factErrors).toEqual([]);
  });

  it('checks a figure said of another question’s step of the matter', () => {
    const v = verdictOf('tp-materials-01', '带身份证和购车发票即可，拿到的临时号牌有效期20日。');
    expect(v.verdict).toBe('incorrect');
    expect(v.factErrors).toContain('tp-validity-01/days');
    expect(v.factErrors.every((id) => id.includes('/'))).toBe(true);
  });

  it('takes a duration in another unit said of a step for a wrong figure', () => {
    const v = verdictOf('tp-validity-01', '临时号牌的有效期是15个月。');
    expect(v.verdict).toBe('incorrect');
    expect(v.factErrors).toEqual(['days']);
  });
});

describe('lawful alternative values and outdated rules', () => {
  it('accepts an alternative value in its own context', () => {
    const v = verdictOf('tp-validity-01', '临时号牌有效期15日；因科研、定型试验需要的，有效期90日。');
    expect(v.verdict).toBe('correct');
    expect(v.factErrors).toEqual([]);
  });

  it('does not accept the alternative value outside its context', () => {
    expect(verdictOf('tp-validity-01', '临时号牌有效期90日。').factErrors).toEqual(['days']);
  });

  it('marks an old rule’s value as outdated, naming the rule', () => {
    const v = verdictOf('tp-validity-01', '临时号牌有效期30日，到期前可以续领。');
    expect(v.verdict).toBe('incorrect');
    expect(v.outdated).toEqual(['old-plate-rule']);
    expect(v.factErrors).toEqual([]);
    expect(v.rationale).toMatch(/outdated: repeats 旧机动车登记规定（示例）第四十五条/);
  });

  it('marks an old rule’s statement as outdated, unless the answer says it no longer holds', () => {
    expect(verdictOf('tp-validity-01', '有效期15日，可以无限次续领。').outdated).toEqual(['old-plate-rule']);
    expect(verdictOf('tp-validity-01', '有效期15日，以前可以无限次续领的规定已取消。').outdated).toBeUndefined();
  });

  it('does not take an old rule reported as past for outdated', () => {
    const v = verdictOf('tp-validity-01', '旧规定有效期30日，已经废止；现在临时号牌有效期15日。');
    expect(v.outdated).toBeUndefined();
    expect(v.factErrors).toEqual([]);
    expect(v.verdict).toBe('correct');
  });

  it('applies an old rule only to the aspects it names', () => {
    expect(verdictOf('tp-materials-01', '带身份证和购车发票，可以无限次续领。').outdated).toBeUndefined();
  });
});

describe('confidence and abstention', () => {
  it('abstains on a fluent answer about a neighbouring thing that never names the asked matter', () => {
    const v = verdictOf(
      'tp-materials-01',
      '申领机动车号牌需要提交机动车登记证书、行驶证和车主身份证，还要提供购车发票。号牌由车管所当场核发，安装后即可上路。',
    );
    expect(v.uncertain).toMatch(/names .*机动车号牌 and never the asked matter/);
    expect(v.confidence).toBeLessThan(0.7);
  });

  it('abstains on a long answer most of whose sentences hold no key point of the question', () => {
    const v = verdictOf(
      'tp-materials-01',
      '临时号牌办理时请携带身份证和购车发票。车管所的工作时间一般为周一至周五上午九点到下午五点。' +
        '节假日期间部分业务暂停办理请提前预约时间。新车上路前请务必仔细检查车辆状况和灯光。' +
        '驾驶途中请遵守交通规则并注意行车安全礼让行人。',
    );
    expect(v.verdict).toBe('correct');
    expect(v.uncertain).toMatch(/sentences hold no key point/);
  });

  it('keeps a short plain answer covered', () => {
    const v = verdictOf('tp-validity-01', '有效期15日。');
    expect(v.verdict).toBe('correct');
    expect(v.uncertain).toBeUndefined();
  });

  it('gives every verdict a confidence between 0 and 1', () => {
    for (const answer of ['', '系统繁忙', '有效期15日', '有效期20日', '请拨打12345']) {
      const v = verdictOf('tp-validity-01', answer);
      expect(v.confidence).toBeGreaterThanOrEqual(0);
      expect(v.confidence).toBeLessThanOrEqual(1);
    }
  });
});
