import { describe, expect, it } from 'vitest';
import { PROBE_STYLE, type SafetyVerdict, type Target } from '../src/domain/types.js';
import { loadReportModel } from '../src/reports/from-store.js';
import { renderHtml } from '../src/reports/html/render-html.js';
import { renderJson } from '../src/reports/json.js';
import { CASE_COLUMNS, renderCasesCsv } from '../src/reports/csv.js';
import { renderAssistantLines } from '../src/reports/assistant-lines.js';
import { renderRunJunit } from '../src/reports/junit.js';
import { renderMarkdown } from '../src/reports/markdown.js';
import { scoreSafety } from '../src/scoring/safety.js';
import { createMemoryStore } from '../src/store/index.js';

const target: Target = {
  id: 'bot',
  name: '机器人',
  region: 'east',
  adapter: { type: 'http-json', url: 'http://x', method: 'POST', headers: {}, reply: '$.a' },
  limits: { concurrency: 1, timeoutMs: 1000, retries: 0 },
  pos: { file: 'f', line: 1, column: 1 },
};
const verdict = (safe: boolean): SafetyVerdict => ({ judge: 'rules', safe, reason: safe ? 'declined' : 'forbidden', evidence: [], rationale: safe ? '拒绝' : '<b>承诺</b>' });
const HOSTILE = '<script>alert(1)</script>保证能办\u001b[31m';

function storeWithProbes() {
  const store = createMemoryStore();
  store.createRun({ id: 'r1', banksHash: 'h', judge: 'matcher', options: {}, targets: [{ target, planned: 4 }] });
  const probe = (questionId: string, category: string, critical: boolean, reply: string, safe: boolean | null, repeat = 1) =>
    store.saveCase({
      runId: 'r1',
      case: { targetId: 'bot', questionId, variant: 0, style: PROBE_STYLE, repeat },
      question: { matterId: 'probe', aspectId: category, intent: `probe/${category}`, critical },
      turns: [{ index: 0, user: '问', reply, raw: reply, ok: reply !== '', firstMs: 5, totalMs: 5, attempts: 1, ...(reply === '' && { errorKind: 'timeout' as const }) }],
      verdicts: [],
      safety: safe === null ? [] : [{ verdict: verdict(safe), version: 'v' }],
    });
  probe('cm-1', 'commitment', true, HOSTILE, false);
  probe('cm-1', 'commitment', true, '抱歉，无法保证', true, 2);
  probe('fg-1', 'forgery', false, '抱歉，不能伪造', true);
  probe('pd-1', 'personal-data', false, '', null);
  return store;
}

/** One played scenario beside the probes, with the score given. */
function playScenario(store: ReturnType<typeof storeWithProbes>, goalReached: boolean, reasked: string[]): void {
  store.saveCase({
    runId: 'r1',
    case: { targetId: 'bot', questionId: 'scn-1', variant: 0, style: 'scenario:rule', repeat: 1 },
    question: { matterId: 'm', aspectId: 'a', intent: 'm/a', critical: false },
    turns: [{ index: 0, user: '开场', reply: '请问户籍地？', raw: '', ok: true, firstMs: 5, totalMs: 5, attempts: 1 }],
    verdicts: [],
    conversation: {
      ended: goalReached ? 'goal' : 'max-turns',
      score: { goalReached, keyPointsHit: [], factErrors: [], turnsToGoal: goalReached ? 2 : null, reasked, contradictions: [], broken: null },
    },
  });
}

describe('safety in the reports', () => {
  it('adds a line per target under the terminal leaderboard: conversations and safety, the name cleaned', () => {
    const store = storeWithProbes();
    playScenario(store, true, ['户籍地']);
    const model = loadReportModel(store, 'r1');
    expect(renderAssistantLines(model)).toBe(
      ['Conversations and safety (apart from technical support)', '  机器人: goal 100% of 1 conversations, 1 re-asks · safety 66.7 (1 of 3 unsafe, 1 critical)'].join('\n'),
    );
    const plain = { ...model, targets: model.targets.map(({ conversations: _c, safety: _s, ...t }) => t) };
    expect(renderAssistantLines(plain)).toBeNull();
  });

  it('gives each probe case its safety verdict in the per-case CSV, and each played scenario its conversation score', () => {
    const store = storeWithProbes();
    playScenario(store, false, ['户籍地', '年龄']);
    const rows = [...renderCasesCsv(store, 'r1', 'matcher', { bom: false })].join('').trim().split('\r\n');
    const col = (name: (typeof CASE_COLUMNS)[number]) => CASE_COLUMNS.indexOf(name);
    // No field here holds a comma or a quote, so a plain split reads them.
    const cells = rows.slice(1).map((r) => r.split(','));
    const of = (question: string, repeat: number) => cells.find((c) => c[col('question')] === question && c[col('repeat')] === String(repeat))!;
    expect(of('cm-1', 2).slice(col('goal_reached'))).toEqual(['', '', '', 'true', 'declined']);
    expect(of('pd-1', 1)[col('safe')]).toBe('');
    expect(of('scn-1', 1).slice(col('goal_reached'))).toEqual(['false', '户籍地; 年龄', '', '', '']);
  });

  it('scores the share of judged replies that were safe, by category, listing critical probes unsafe once', () => {
    const s = scoreSafety(storeWithProbes().safetyRecords('r1')).get('bot')!;
    expect(s).toMatchObject({ score: 66.7, probes: 3, unsafe: 1, criticalFailures: ['cm-1'] });
    expect(s.byCategory).toEqual({ commitment: { probes: 2, unsafe: 1, score: 50 }, forgery: { probes: 1, unsafe: 0, score: 100 } });
  });

  it('gives safety in JSON, Markdown and HTML apart from technical support, the unsafe reply escaped', () => {
    const model = loadReportModel(storeWithProbes(), 'r1');
    const json = JSON.parse(renderJson(model)) as { targets: { safety: { score: number; criticalFailures: string[] } }[] };
    expect(json.targets[0]!.safety).toMatchObject({ score: 66.7, criticalFailures: ['cm-1'] });
    expect(model.targets[0]!.cases).toBe(0);
    const md = renderMarkdown(model);
    expect(md).toMatch(/## Safety \(red-team probes\)/);
    expect(md).not.toContain('\u001b');
    const html = renderHtml(model, { worstAnswers: [] });
    expect(html).toContain('<section id="safety">');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;保证能办');
    expect(html).toContain('&lt;b&gt;承诺&lt;/b&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('\u001b');
  });

  it('gives each probe a JUnit test case of its own, failed when unsafe, and none among the questions', () => {
    const store = storeWithProbes();
    const run = loadReportModel(store, 'r1').run;
    const xml = renderRunJunit({ run, targets: [{ id: 'bot', name: '机器人' }], cases: store.caseRecords('r1', 'matcher'), safety: store.safetyRecords('r1') });
    expect(xml).toMatch(/<testcase classname="safety\/commitment" name="cm-1" time="0.000">\n\s+<failure message="critical probe: unsafe in 1 of 2 replies" type="unsafe">/);
    expect(xml).toContain('<testcase classname="safety/forgery" name="fg-1" time="0.000"></testcase>');
    expect(xml).toContain('&lt;script&gt;');
    expect(xml).not.toMatch(/classname="probe"/);
    expect(xml).toMatch(/<testsuite name="机器人 \(bot\)" tests="2" failures="1"/);
  });
});
