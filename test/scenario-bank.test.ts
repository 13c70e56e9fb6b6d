/** Scenarios in banks (issue 16 §1): loaded beside questions, checked like them, hashed only when present. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { createCitizen } from '../src/citizens/index.js';
import { validateCommand } from '../src/cli/commands/validate.js';
import { OUT_OF_SCOPE, type Exchange } from '../src/domain/types.js';
import { scoreConversation } from '../src/judge/conversation/index.js';
import { saysGoal } from '../src/judge/conversation/score.js';
import { normalize } from '../src/text/normalize.js';
import { UserError } from '../src/util/errors.js';
import { tempDir, TINY_BANK } from './helpers.js';

const SCENARIO = `scenarios:
  - id: bp-scn-01
    aspect: fees
    persona: 第一次买船的渔民
    goal: 弄清楚办船只许可要不要交钱
    facts: { 户籍地: 本市, 年龄: 45 }
    opening: 我刚买了条船，要办什么吗
    reference:
      answer: 不收费。
      keyPoints:
        - { id: free, text: 不用交钱, match: [不收费, 免费, 不用交钱] }
`;
const WITH_SCENARIO = `${TINY_BANK}${SCENARIO}`;

function loadError(text: string, extra: Record<string, string> = {}): string {
  using dir = tempDir({ 'a.yaml': text, ...extra });
  try {
    loadBanks([dir.dir]);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error('expected the banks to be rejected');
}

describe('scenarios in banks', () => {
  it('loads a scenario with its matter, intent, defaults and facts as text', () => {
    using dir = tempDir({ 'a.yaml': WITH_SCENARIO });
    const [s] = loadBanks([dir.dir]).scenarios;
    expect(s).toMatchObject({
      id: 'bp-scn-01',
      matterId: 'boat-permit',
      aspectId: 'fees',
      intent: 'boat-permit/fees',
      facts: { 户籍地: '本市', 年龄: '45' },
      opening: '我刚买了条船，要办什么吗',
      maxTurns: 6,
      critical: false,
      reference: { minKeyPoints: 1, facts: [], contradictions: [] },
    });
    expect(Object.keys(s!.facts)).toEqual(['户籍地', '年龄']);
    expect(s!.pos.line).toBe(15);
  });

  it('keeps the hash of banks without scenarios, and changes it when a scenario is added or edited', () => {
    using dir = tempDir({ 'a.yaml': TINY_BANK, 'b.yaml': WITH_SCENARIO, 'c.yaml': WITH_SCENARIO.replace('第一次买船', '第二次买船') });
    const plain = loadBanks([dir.path('a.yaml')]);
    // The hash as it was before scenarios existed: what stored runs carry.
    const before = createHash('sha256')
      .update(JSON.stringify({ matters: plain.matters.map(({ pos: _p, ...m }) => m), intents: plain.intents, questions: plain.questions.map(({ pos: _p, ...q }) => q) }))
      .digest('hex');
    expect(plain.hash).toBe(before);
    const withScenario = loadBanks([dir.path('b.yaml')]).hash;
    expect(withScenario).not.toBe(plain.hash);
    expect(loadBanks([dir.path('c.yaml')]).hash).not.toBe(withScenario);
  });

  it.each([
    ['an unknown aspect', WITH_SCENARIO.replace('    aspect: fees\n    persona', '    aspect: price\n    persona'), /a\.yaml:16:13: scenarios\[0\]\.aspect: unknown aspect "price"; expected one of: fees/],
    ['maxTurns above 20', WITH_SCENARIO.replace('    opening:', '    maxTurns: 21\n    opening:'), /a\.yaml:\d+:\d+: scenarios\[0\]\.maxTurns: .*20/],
    ['maxTurns of 0', WITH_SCENARIO.replace('    opening:', '    maxTurns: 0\n    opening:'), /scenarios\[0\]\.maxTurns: .*1/],
    ['a missing opening', WITH_SCENARIO.replace('    opening: 我刚买了条船，要办什么吗\n', ''), /a\.yaml:\d+:\d+: scenarios\[0\]\.opening: Invalid input: expected string/],
    ['an unknown key', WITH_SCENARIO.replace('    persona:', '    mood: calm\n    persona:'), /a\.yaml:\d+:\d+: scenarios\[0\]\.mood: Unrecognized key/],
    ['a long fact value', WITH_SCENARIO.replace('年龄: 45', `年龄: ${'很'.repeat(41)}`), /scenarios\[0\]\.facts\.年龄: expected a short value/],
    ['a reference without key points', WITH_SCENARIO.replace('        - { id: free, text: 不用交钱, match: [不收费, 免费, 不用交钱] }\n', '        []\n'), /scenarios\[0\]\.reference\.keyPoints/],
    ['a duplicate key point', WITH_SCENARIO.replace('        - { id: free, text: 不用交钱, match: [不收费, 免费, 不用交钱] }\n', '        - { id: free, text: 不收费, match: [不收费] }\n        - { id: free, text: 免费, match: [免费] }\n'), /scenarios\[0\]\.reference\.keyPoints: duplicate key point id "free"/],
    ['an id a question holds', WITH_SCENARIO.replace('id: bp-scn-01', 'id: bp-fees-01'), /a\.yaml:15:9: scenarios\[0\]\.id: duplicate id "bp-fees-01" \(first at .*a\.yaml:7:9\)/],
  ])('rejects %s with file:line:column and the field', (_, text, expected) => {
    expect(loadError(text)).toMatch(expected);
  });

  it('rejects a scenario id used in two files, naming both places', () => {
    const other = WITH_SCENARIO.replace('id: boat-permit', 'id: boat-permit-2').replace('bp-fees-01', 'bp-fees-02');
    expect(loadError(WITH_SCENARIO, { 'b.yaml': other })).toMatch(/b\.yaml:15:9: scenarios\[0\]\.id: duplicate id "bp-scn-01" \(first at .*a\.yaml:15:9\)/);
  });

  it('is checked by govbench validate, which counts the scenarios', async () => {
    using dir = tempDir({ 'a.yaml': WITH_SCENARIO, 'bad.yaml': WITH_SCENARIO.replace('id: boat-permit', 'id: boat-permit-2').replace('bp-fees-01', 'bp-fees-02').replace('bp-scn-01', 'bp-scn-02').replace('aspect: fees\n    persona', 'aspect: nope\n    persona') });
    const lines: string[] = [];
    await validateCommand([dir.path('a.yaml')], (s) => lines.push(s));
    expect(lines.join('')).toMatch(/ok {2}banks: 1 files, .*, 1 scenarios\n/);
    await expect(validateCommand([dir.path('a.yaml'), dir.path('bad.yaml')], () => {})).rejects.toThrow(/bad\.yaml:16:13: scenarios\[0\]\.aspect: unknown aspect "nope"/);
  });

  it('warns in govbench validate about a scenario its own reference cannot finish, or whose opening gives the goal away', async () => {
    const bad = WITH_SCENARIO.replace('      answer: 不收费。\n      keyPoints:\n        - { id: free, text: 不用交钱', '      answer: 请到窗口咨询。\n      keyPoints:\n        - { id: free, text: 不用交钱').replace('opening: 我刚买了条船，要办什么吗', 'opening: 我想弄清楚办船只许可要不要交钱');
    using dir = tempDir({ 'a.yaml': WITH_SCENARIO, 'bad.yaml': bad });
    const lines: string[] = [];
    await validateCommand([dir.path('a.yaml')], (s) => lines.push(s));
    expect(lines.join('')).not.toMatch(/^warn .*scenario/m);
    lines.length = 0;
    await validateCommand([dir.path('bad.yaml')], (s) => lines.push(s));
    const shown = lines.join('');
    expect(shown).toMatch(/^warn \S*bad\.yaml:15:9: scenario bp-scn-01: its reference answer does not reach the goal \(key points 0 of 1 needed\)/m);
    expect(shown).toMatch(/^warn \S*bad\.yaml:15:9: scenario bp-scn-01: the opening says the goal/m);
  });
});

describe('shipped scenarios', () => {
  const banks = loadBanks();
  it('gives every matter two scenarios, none out of scope', () => {
    for (const m of banks.matters) {
      expect(banks.scenarios.filter((s) => s.matterId === m.id).length, m.id).toBe(m.id === OUT_OF_SCOPE ? 0 : 2);
    }
  });

  it.each(banks.scenarios.map((s) => [s.id, s] as const))('%s: its reference reaches the goal, its opening hides it, and the rule citizen gets there piece by piece', async (_, s) => {
    const whole = scoreConversation({ scenario: s, exchanges: [{ user: s.opening, reply: s.reference.answer }], ended: 'goal', matters: banks.matters });
    expect(whole).toMatchObject({ goalReached: true, factErrors: [], broken: null });
    expect(saysGoal(normalize(s.opening), normalize(s.goal))).toBe(false);
    // A bot that first asks for a fact the opening did not give, then gives one sentence of the reference per turn.
    const [key, value] = Object.entries(s.facts).find(([, v]) => !normalize(s.opening).includes(normalize(v)))!;
    const sentences = s.reference.answer.split(/(?<=[。；])/).filter((x) => x.trim());
    const citizen = createCitizen('rule', { matters: banks.matters });
    const exchanges: Exchange[] = [];
    for (;;) {
      const move = await citizen.next(s, exchanges);
      if ('stop' in move) {
        expect(move.stop).toBe('goal');
        break;
      }
      const i = exchanges.length;
      exchanges.push({ user: move.say, reply: i === 0 ? `请问您的${key}是？` : (sentences[i - 1] ?? '抱歉，我没有理解。') });
    }
    expect(exchanges[1]!.user).toContain(value);
    expect(scoreConversation({ scenario: s, exchanges, ended: 'goal', matters: banks.matters })).toMatchObject({ goalReached: true, reasked: [], broken: null });
  });
});
