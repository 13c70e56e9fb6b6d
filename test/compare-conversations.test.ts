import { describe, expect, it } from 'vitest';
import type { ConversationScore, StoredConversation } from '../src/domain/types.js';
import { conversationsMarkdown } from '../src/reports/compare/conversations.js';
import { compareConversations } from '../src/scoring/compare/conversations.js';

const score = (goalReached: boolean, reasked: string[] = [], broken: ConversationScore['broken'] = null): ConversationScore => ({
  goalReached,
  keyPointsHit: [],
  factErrors: [],
  turnsToGoal: goalReached ? 2 : null,
  reasked,
  contradictions: [],
  broken,
});

let id = 0;
const row = (targetId: string, scenarioId: string, s: ConversationScore, extra: Partial<StoredConversation> = {}): StoredConversation => ({
  caseId: ++id,
  targetId,
  scenarioId,
  style: 'scenario:rule',
  repeat: 1,
  available: true,
  errorKind: null,
  ended: s.goalReached ? 'goal' : 'max-turns',
  score: s,
  turns: 3,
  ...extra,
});

describe('compare: conversations', () => {
  const units = [{ id: 'v1→v2', baselineTarget: 'v1', candidateTarget: 'v2' }];

  it('sets scenarios whose goal moved apart, leaves broken and failed ones out, and sums both sides', () => {
    const baseline = [
      row('v1', 's1', score(false, ['户籍地'])),
      row('v1', 's2', score(true)),
      row('v1', 's3', score(true)),
      row('v1', 's3', score(true), { repeat: 2 }),
      row('v1', 's4', score(true)),
      row('v1', 's5', score(false, [], 'goal-leaked')),
    ];
    const candidate = [
      row('v2', 's1', score(true)),
      row('v2', 's2', score(false, ['年龄', '用途'])),
      row('v2', 's3', score(true)),
      row('v2', 's3', score(false), { repeat: 2 }),
      row('v2', 's4', score(true), { available: false, errorKind: 'timeout' }),
      row('v2', 's5', score(true)),
      row('v2', 'only-here', score(true)),
    ];
    const c = compareConversations(units, baseline, candidate)!;
    expect(c.scenarios.map((s) => [s.scenario, s.change])).toEqual([
      ['s2', 'regressed'],
      ['s3', 'regressed'],
      ['s1', 'fixed'],
      ['s4', 'excluded'],
      ['s5', 'excluded'],
    ]);
    expect(c).toMatchObject({ regressed: 2, fixed: 1 });
    expect(c.scenarios.find((s) => s.scenario === 's3')).toMatchObject({ baseline: { reached: 2, scored: 2 }, candidate: { reached: 1, scored: 2 } });
    expect(c.units[0]).toMatchObject({ unit: 'v1→v2', baseline: { played: 6, broken: 1, scored: 5, goalReached: 4, reasked: 1 }, candidate: { played: 7, failed: 1, scored: 6, goalReached: 4, reasked: 2 } });

    const md = conversationsMarkdown(c)!;
    expect(md).toContain('## Conversations (2 scenarios regressed, 1 fixed)');
    expect(md).toMatch(/\| v1→v2 baseline \| 6 \| 5 \| 80% \| 2\.0 \| 1 \| 1 broken, 0 failed \|/);
    expect(md).toMatch(/\| s2 \| v1→v2 \| rule \| \*\*regressed\*\* \| 1 of 1 \(100%\) \| 0 of 1 \(0%\) \| 0 → 2 \|/);
    expect(md).not.toMatch(/\| s4 \|/);
  });

  it('is absent when neither side played a scenario', () => {
    expect(compareConversations(units, [], [])).toBeNull();
    expect(conversationsMarkdown(null)).toBeNull();
  });
});
