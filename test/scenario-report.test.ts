import { describe, expect, it } from 'vitest';
import type { Citizen, ConversationScore, StoredConversation } from '../src/domain/types.js';
import { loadReportModel } from '../src/reports/from-store.js';
import { toJsonReport } from '../src/reports/json.js';
import { renderMarkdown } from '../src/reports/markdown.js';
import { renderHtml } from '../src/reports/html/index.js';
import { runBenchmark } from '../src/runner/run.js';
import { scoreConversations } from '../src/scoring/conversations.js';
import { createMemoryStore } from '../src/store/index.js';
import { caseDetail, targetCases } from '../src/tui/results/results-from-store.js';
import { transcriptLines } from '../src/tui/results/transcript-lines.js';
import { echoJudge, tempDir } from './helpers.js';
import { bankWithScenarios, botTarget, clarifyingBot, scriptedCitizen } from './helpers-scenarios.js';

const score = (extra: Partial<ConversationScore> = {}): ConversationScore => ({
  goalReached: true,
  keyPointsHit: ['k'],
  factErrors: [],
  turnsToGoal: 2,
  reasked: [],
  contradictions: [],
  broken: null,
  ...extra,
});

const played = (targetId: string, scenarioId: string, citizen: string, s: ConversationScore, extra: Partial<StoredConversation> = {}): StoredConversation => ({
  caseId: 0,
  targetId,
  scenarioId,
  style: `scenario:${citizen}`,
  repeat: 1,
  available: true,
  errorKind: null,
  ended: s.goalReached ? 'goal' : 'max-turns',
  score: s,
  turns: 3,
  ...extra,
});

describe('conversation scores', () => {
  it('counts broken and failed conversations apart, scores the rest, and measures where the two citizens disagree', () => {
    const { byTarget, simulator } = scoreConversations([
      played('a', 's1', 'rule', score({ turnsToGoal: 2 })),
      played('a', 's1', 'llm', score({ goalReached: false, turnsToGoal: null, reasked: ['x', 'y'] })),
      played('a', 's2', 'rule', score({ turnsToGoal: 4, contradictions: ['费用'] })),
      played('a', 's2', 'llm', score({ broken: 'goal-leaked' })),
      played('a', 's3', 'rule', score({ goalReached: false, turnsToGoal: null }), { available: false, errorKind: 'timeout' }),
      played('b', 's1', 'rule', score()),
      played('b', 's1', 'llm', score()),
    ]);
    expect(byTarget.get('a')!.summary).toEqual({
      played: 5,
      broken: 1,
      failed: 1,
      scored: 3,
      goalReached: 2,
      goalShare: 2 / 3,
      meanTurnsToGoal: 3,
      reasked: 2,
      contradictions: 1,
    });
    expect(byTarget.get('a')!.scenarios.map((s) => [s.scenario, s.citizen, s.scored, s.goalShare])).toEqual([
      ['s1', 'llm', 1, 0],
      ['s1', 'rule', 1, 1],
      ['s2', 'llm', 0, null],
      ['s2', 'rule', 1, 1],
      ['s3', 'rule', 0, null],
    ]);
    // a/s2 has one scored side only: no pair. a/s1 differs, b/s1 agrees.
    expect(simulator).toEqual({ pairs: 2, differing: 1, share: 0.5, examples: ['a/s1'] });
    expect(scoreConversations([played('a', 's1', 'rule', score())]).simulator).toBeNull();
  });

  it('reports a rememberer apart from a re-asker in JSON, Markdown and HTML (escaped), with the simulators’ agreement', async () => {
    using dir = tempDir();
    const banks = { ...bankWithScenarios(dir.dir, 2), questions: [] };
    const [good, forgetful] = [await clarifyingBot('rememberer'), await clarifyingBot('re-asker')];
    // An LLM citizen that gives up on the second scenario when asked twice: the citizens then disagree there.
    const impatient: Citizen = {
      kind: 'llm',
      next: async (s, history) => (s.id === 'bp-scn-2' && history.filter((h) => h.reply.includes('长度')).length >= 2 ? { stop: 'gave-up' } : scriptedCitizen('llm').next(s, history)),
    };
    const store = createMemoryStore();
    try {
      const { runId } = await runBenchmark({
        store,
        banks,
        targets: [{ ...botTarget('good', `${good.server.url}/chat`, 2), name: '好<b>机器人</b>' }, botTarget('reasker', `${forgetful.server.url}/chat`, 2)],
        judges: [echoJudge],
        judgeMode: 'matcher',
        citizens: [scriptedCitizen('rule'), impatient],
      });
      const model = loadReportModel(store, runId);
      const json = toJsonReport(model);
      const of = (id: string) => json.targets.find((t) => t.id === id)!.conversations!;
      expect(of('good').summary).toMatchObject({ played: 4, scored: 4, goalShare: 1, meanTurnsToGoal: 2, reasked: 0 });
      expect(of('reasker').summary).toMatchObject({ played: 4, scored: 4, goalReached: 3, goalShare: 0.75, meanTurnsToGoal: 3, reasked: 4 });
      expect(of('reasker').scenarios.find((s) => s.scenario === 'bp-scn-2' && s.citizen === 'llm')).toMatchObject({ goalReached: 0, goalShare: 0 });
      expect(json.simulator).toEqual({ pairs: 4, differing: 1, share: 0.25, examples: ['reasker/bp-scn-2'] });
      // The headline stays that of the questions: none here.
      expect(json.targets.every((t) => t.cases === 0)).toBe(true);

      const md = renderMarkdown(model);
      expect(md).toContain('## Conversations');
      expect(md).toMatch(/\| 机器人reasker \| \*\*all\*\* \| {2}\| 4 \| 75% \| 3\.0 \| 4 \| 0 \| 0 \| 0 \|/);
      expect(md).toContain('different outcomes on 1 of 4');

      const html = renderHtml(model, { worstAnswers: [] });
      expect(html).toContain('<section id="conversations">');
      expect(html).toContain('<a href="#conversations">');
      expect(html).toContain('好&lt;b&gt;机器人&lt;/b&gt;');
      expect(html).not.toContain('好<b>机器人</b>');

      // The TUI transcript of a scenario case: the conversation, then its score instead of verdicts.
      const run = store.getRun(runId);
      const row = targetCases(store, run, 'reasker').find((c) => c.record.questionId === 'bp-scn-1' && c.record.style === 'scenario:rule')!;
      const text = transcriptLines(caseDetail(store, row, banks, runId), 'matcher', 100).map((l) => l.text).join('\n');
      expect(text).toMatch(/问 +我想办船只许可[\s\S]*答 +请再告诉我一次，您的船只长度是多少？/);
      expect(text).toContain('rule citizen · the citizen reached its goal · 3 turns');
      expect(text).toContain('goal reached in 3 turns');
      expect(text).toContain('✓ 不收费');
      expect(text).toContain('asked again after given: 船只长度');
      expect(text).not.toContain('Verdicts');
    } finally {
      await good.server.close();
      await forgetful.server.close();
    }
  });

  it('leaves reports of runs without scenarios as they were', () => {
    const store = createMemoryStore();
    store.createRun({ id: 'r', banksHash: 'h', judge: 'matcher', options: {}, targets: [] });
    const model = loadReportModel(store, 'r');
    expect(model.simulator).toBeUndefined();
    expect('simulator' in toJsonReport(model)).toBe(false);
    expect(renderMarkdown(model)).not.toContain('Conversations');
  });
});
