/** The `rule` citizen (issue 16): offline and deterministic, answers by what is asked, pursues the goal, stops. */
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { createCitizen } from '../src/citizens/index.js';
import type { Exchange, Scenario } from '../src/domain/types.js';

const banks = loadBanks(['test/fixtures/scenarios']);
const scenario = banks.scenarios.find((s) => s.id === 'fl-scn-01')!;
const citizen = createCitizen('rule', { matters: banks.matters });

const FALLBACK = '抱歉，我没有理解您的问题，请换个说法试试。';

/** The citizen's next message, after the given bot replies to its earlier turns. */
async function sayAfter(replies: string[], s: Scenario = scenario): Promise<string> {
  const history: Exchange[] = [];
  for (const reply of replies) {
    const move = await citizen.next(s, history);
    if (!('say' in move)) throw new Error(`stopped early: ${move.stop}`);
    history.push({ user: move.say, reply });
  }
  const move = await citizen.next(s, history);
  if (!('say' in move)) throw new Error(`expected a message, got stop: ${move.stop}`);
  return move.say;
}

async function endAfter(replies: string[], s: Scenario = scenario) {
  const history: Exchange[] = [];
  for (const reply of replies) {
    const move = await citizen.next(s, history);
    if (!('say' in move)) return { stop: move.stop, turns: history.length };
    history.push({ user: move.say, reply });
  }
  return { ...(await citizen.next(s, history)), turns: history.length };
}

describe('rule citizen', () => {
  it('opens with the scenario opening, once', async () => {
    expect(await citizen.next(scenario, [])).toEqual({ say: '我想去水库钓鱼，要办什么手续吗' });
    expect(await sayAfter(['请问您户口在哪里？'])).not.toContain(scenario.opening);
  });

  it.each([
    ['the key itself', '请提供您的户籍地。', ['本市'], ['60岁', '手竿']],
    ['a near synonym of the key', '请问您户口在哪里？', ['本市'], ['60岁', '手竿']],
    ['another synonym', '您今年多大年纪了？', ['60岁'], ['本市', '手竿']],
    ['two characters of the key', '您平时用什么钓具呢？', ['手竿'], ['本市', '60岁']],
    ['several questions in one reply', '好的。请问您多大了？户籍是哪里的？', ['60岁', '本市'], ['手竿']],
    ['two keys in one clause', '您的户籍地和年龄是？', ['本市', '60岁'], ['手竿']],
  ])('answers a question by %s from its facts, and only what was asked', async (_, reply, said, unsaid) => {
    const answer = await sayAfter([reply]);
    for (const v of said) expect(answer).toContain(v);
    for (const v of unsaid) expect(answer).not.toContain(v);
    expect(answer).not.toMatch(/不太清楚/);
  });

  it('prefers the key the question names more of (spouse before own household registration)', async () => {
    const s = { ...scenario, facts: { 户籍地: '外省', 配偶户籍: '本市' } };
    const answer = await sayAfter(['请问您爱人的户口在哪里？'], s);
    expect(answer).toContain('本市');
    expect(answer).not.toContain('外省');
    const own = await sayAfter(['请问您户口在哪里？'], s);
    expect(own).toContain('外省');
    expect(own).not.toContain('本市');
  });

  it('says it does not know what it cannot place, tells what it has not told yet, and asks on', async () => {
    const answer = await sayAfter(['请问您是本人办理吗？']);
    expect(answer).toMatch(/^这个我不太清楚。我的情况是：户籍地是本市，年龄是60岁，钓具是手竿。那填写申请表这块/);
    const later = await sayAfter(['请问您户口在哪里？', '请问您是本人办理吗？']);
    expect(later).toMatch(/^这个我不太清楚。我的情况是：年龄是60岁，钓具是手竿。/);
    const all = await sayAfter(['请问您的户籍地和年龄是？', '您用什么钓具？', '请问您是本人办理吗？']);
    expect(all).toMatch(/^这个我不太清楚。那填写申请表/);
  });

  it('reads a request without a question mark as a question only when it names a fact', async () => {
    expect(await sayAfter(['为了更好地为您解答，麻烦告诉我您的户籍所在地。'])).toBe('户籍地是本市。');
    expect(await sayAfter(['申请时请提供以下材料：申请表。'])).toMatch(/^那到县级渔业主管部门办理/);
  });

  it('ignores a courtesy question and asks for the first missing key point, in words of its own', async () => {
    const answer = await sayAfter(['办理钓鱼证需要填写申请表。还有什么可以帮您？']);
    expect(answer).toMatch(/渔业主管部门.*[？?]$/);
    expect(answer).not.toMatch(/不太清楚/);
    expect(answer).not.toContain(scenario.goal);
  });

  it('asks about a figure without saying it, and moves on to a point not asked about yet', async () => {
    const first = await sayAfter(['需要填写申请表，到县级渔业主管部门办理。']);
    expect(first).toMatch(/办结.*多长时间/);
    expect(first).not.toMatch(/10|十/);
    const again = await sayAfter(['需要填写申请表。', '钓鱼要注意安全。']);
    expect(again).toMatch(/办结/);
    // Asked along with saying it did not know: still asked.
    const afterUnknown = await sayAfter(['请问您是本人办理吗？', '钓鱼要注意安全。']);
    expect(afterUnknown).toMatch(/^那到县级渔业主管部门办理/);
  });

  it('stops at the goal once the key points are covered across the bot turns', async () => {
    const end = await endAfter(['请问您户口在哪里？', '需要填写申请表，到县级渔业主管部门办理。', '一般10个工作日内办结。']);
    expect(end).toMatchObject({ stop: 'goal', turns: 3 });
  });

  it('stops at maxTurns when the goal is not reached', async () => {
    const replies = ['需要填写申请表。', '钓鱼要注意安全。', '请问您户口在哪里？', '钓鱼要注意安全哦。', '注意防晒。'];
    expect(await endAfter(replies)).toMatchObject({ stop: 'max-turns', turns: scenario.maxTurns });
    const short = { ...scenario, maxTurns: 2 };
    expect(await endAfter(replies, short)).toMatchObject({ stop: 'max-turns', turns: 2 });
  });

  it('gives up after two replies in a row that add nothing, not after one', async () => {
    expect(await sayAfter(['需要填写申请表。', FALLBACK])).toMatch(/[？?]$/);
    expect(await endAfter(['需要填写申请表。', FALLBACK, FALLBACK])).toMatchObject({ stop: 'gave-up', turns: 3 });
    // A fallback between two useful replies resets nothing: only consecutive ones count.
    expect(await sayAfter([FALLBACK, '需要填写申请表。', FALLBACK])).toMatch(/[？?]$/);
  });

  it('is deterministic', async () => {
    const replies = ['请问您户口在哪里？', '需要填写申请表。'];
    expect(await sayAfter(replies)).toBe(await sayAfter(replies));
  });
});
