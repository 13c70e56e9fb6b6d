/** Conversation scores (issue 16 §2–3): goal, turns, memory, consistency, broken conversations, citizens compared. */
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { createCitizen } from '../src/citizens/index.js';
import type { Exchange, Scenario } from '../src/domain/types.js';
import { compareCitizens, scoreConversation, type ConversationEnd } from '../src/judge/conversation/index.js';

const banks = loadBanks(['test/fixtures/scenarios']);
const scenario = banks.scenarios.find((s) => s.id === 'fl-scn-01')!;
const FULL = '需要填写申请表，到县级渔业主管部门办理，10个工作日内办结。';

/** Plays the rule citizen against a scripted bot: reply i answers citizen turn i. */
async function play(bot: (turn: number, said: string) => string, s: Scenario = scenario): Promise<{ exchanges: Exchange[]; ended: ConversationEnd }> {
  const citizen = createCitizen('rule', { matters: banks.matters });
  const exchanges: Exchange[] = [];
  for (;;) {
    const move = await citizen.next(s, exchanges);
    if ('stop' in move) return { exchanges, ended: move.stop };
    exchanges.push({ user: move.say, reply: bot(exchanges.length, move.say) });
  }
}

const score = (exchanges: Exchange[], ended: ConversationEnd = 'goal', s: Scenario = scenario) => scoreConversation({ scenario: s, exchanges, ended, matters: banks.matters });

describe('scoreConversation', () => {
  it('separates a bot that remembers from one that asks again (memory)', async () => {
    const remembers = await play((turn) => (turn === 0 ? '请问您户口在哪里？' : FULL));
    const forgets = await play((turn) => (turn === 0 ? '请问您户口在哪里？' : turn === 1 ? '好的。请问您的户籍是哪里的？' : FULL));
    const a = score(remembers.exchanges, remembers.ended);
    const b = score(forgets.exchanges, forgets.ended);
    expect(a).toMatchObject({ goalReached: true, turnsToGoal: 2, reasked: [], broken: null, contradictions: [], factErrors: [] });
    expect(b).toMatchObject({ goalReached: true, turnsToGoal: 3, reasked: ['户籍地'], broken: null });
    expect(a.keyPointsHit).toEqual(['form', 'office', 'days']);
  });

  it('counts a fact the opening gave and the bot asked for anyway', () => {
    const s = { ...scenario, opening: '我是本市户口，想去水库钓鱼，要办什么手续吗' };
    expect(score([{ user: s.opening, reply: '请问您的户籍地是？' }], 'max-turns', s).reasked).toEqual(['户籍地']);
    expect(score([{ user: scenario.opening, reply: '请问您的户籍地是？' }], 'max-turns').reasked).toEqual([]);
  });

  it('counts a fact the citizen gave in its own words when asked for it alone, not one it said it did not know', () => {
    const asked = { user: scenario.opening, reply: '请问您户口在哪里？' };
    const again = (user: string) => score([asked, { user, reply: '好的。那您的户籍是哪里的？' }], 'max-turns').reasked;
    expect(again('我是这儿土生土长的')).toEqual(['户籍地']);
    expect(again('这个我不太清楚。')).toEqual([]);
    const two = { user: scenario.opening, reply: '请问您户口在哪里？多大年纪了？' };
    expect(score([two, { user: '嗯嗯', reply: '您的户籍是哪里的？' }], 'max-turns').reasked).toEqual([]);
  });

  it('finds the bot contradicting itself on a fact, and then the goal is not reached', () => {
    const exchanges = [
      { user: scenario.opening, reply: '需要填写申请表，到县级渔业主管部门办理。' },
      { user: '那办结一般需要多长时间？', reply: '10个工作日内办结。' },
      { user: '确定吗？', reply: '一般15个工作日办结。' },
    ];
    const s = score(exchanges, 'max-turns');
    expect(s.contradictions).toEqual(['days: 10工作日 (turn 2) ≠ 15工作日 (turn 3)']);
    expect(s.factErrors).toEqual(['days']);
    expect(s).toMatchObject({ goalReached: false, turnsToGoal: null });
    const consistent = score([...exchanges.slice(0, 2), { user: '确定吗？', reply: '是的，十个工作日内。' }]);
    expect(consistent).toMatchObject({ contradictions: [], factErrors: [], goalReached: true, turnsToGoal: 2 });
  });

  it('does not reach the goal on too few key points', () => {
    expect(score([{ user: scenario.opening, reply: '需要填写申请表。' }], 'max-turns')).toMatchObject({ goalReached: false, turnsToGoal: null, keyPointsHit: ['form'], broken: null });
  });

  const good = [
    { user: scenario.opening, reply: '需要填写申请表，到县级渔业主管部门办理。' },
    { user: '那办结一般需要多长时间？', reply: '10个工作日内办结。' },
  ];
  it.each([
    ['empty-turn', [good[0]!, { user: '  ', reply: '请问还有什么问题？' }], 'max-turns'],
    ['goal-leaked', [good[0]!, { user: '弄清楚钓鱼证要带什么材料、去哪里办、多久能拿到', reply: FULL }], 'goal'],
    ['goal-leaked', [good[0]!, { user: '我想弄清楚：钓鱼证要带啥材料，去哪里办，多久能拿到？', reply: FULL }], 'goal'],
    ['persona-dropped', [good[0]!, { user: '您好，请问有什么可以帮您？', reply: FULL }], 'goal'],
    ['persona-dropped', [good[0]!, { user: '作为AI，我建议您咨询当地部门。', reply: FULL }], 'goal'],
    ['stopped-early', [good[0]!], 'goal'],
    ['stopped-early', [{ user: scenario.opening, reply: '抱歉，我没有理解。' }], 'gave-up'],
  ] as const)('marks a conversation the simulator broke: %s', (kind, exchanges, ended) => {
    expect(score([...exchanges], ended).broken).toBe(kind);
  });

  it('blames the bot, not the simulator, for a wrong figure in a conversation the citizen ended at the goal', () => {
    const s = score([{ user: scenario.opening, reply: '需要填写申请表，到县级渔业主管部门办理，15个工作日内办结。' }], 'goal');
    expect(s).toMatchObject({ goalReached: false, factErrors: ['days'], broken: null });
  });

  it('marks nothing in a sound conversation, nor a give-up after two tries', () => {
    expect(score(good, 'goal').broken).toBeNull();
    expect(score([{ user: scenario.opening, reply: '抱歉，我没有理解。' }, { user: '那填写申请表这块具体是怎么规定的？', reply: '抱歉，我没有理解。' }], 'gave-up').broken).toBeNull();
    expect(score([{ user: '钓鱼证要带什么材料？', reply: FULL }], 'goal').broken).toBeNull();
  });

  it('is deterministic', () => {
    expect(score(good)).toEqual(score(good));
  });
});

describe('compareCitizens', () => {
  const o = (targetId: string, scenarioId: string, citizen: 'rule' | 'llm', goalReached: boolean, broken: string | null = null) => ({ targetId, scenarioId, citizen, goalReached, broken });
  it('counts the target × scenario pairs both citizens played and lists those with different outcomes', () => {
    const c = compareCitizens([
      o('a', 's1', 'rule', true),
      o('a', 's1', 'llm', true),
      o('a', 's2', 'rule', true),
      o('a', 's2', 'llm', false),
      o('b', 's1', 'rule', false),
      o('b', 's1', 'llm', true),
      o('b', 's2', 'rule', true), // played by one citizen only
      o('c', 's1', 'rule', true),
      o('c', 's1', 'llm', false, 'persona-dropped'), // broken: says nothing of the bot
    ]);
    expect(c.pairs).toBe(3);
    expect(c.share).toBeCloseTo(2 / 3);
    expect(c.differing).toEqual([
      { targetId: 'a', scenarioId: 's2', reached: { rule: true, llm: false } },
      { targetId: 'b', scenarioId: 's1', reached: { rule: false, llm: true } },
    ]);
  });

  it('takes the majority of repeated plays, and has no share without pairs', () => {
    const c = compareCitizens([o('a', 's', 'rule', true), o('a', 's', 'llm', false), o('a', 's', 'llm', true), o('a', 's', 'llm', true)]);
    expect(c).toEqual({ pairs: 1, differing: [], share: 0 });
    expect(compareCitizens([o('a', 's', 'rule', true)])).toEqual({ pairs: 0, differing: [], share: null });
  });
});
