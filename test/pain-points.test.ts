/**
 * The pain-point catalogue (issue 15): failure kinds × matter × aspect across targets in the report
 * model, the JSON report and the Markdown report.
 */
import { describe, expect, it } from 'vitest';
import type { CaseRecord, FailureKind, JudgedVerdict, VerdictLabel } from '../src/domain/types.js';
import { renderJson } from '../src/reports/json.js';
import { renderMarkdown } from '../src/reports/markdown.js';
import type { ReportRunMeta, ScoreTarget } from '../src/scoring/model.js';
import { PAIN_POINT_EXAMPLES } from '../src/scoring/pain-points.js';
import { scoreRun } from '../src/scoring/score-run.js';

const RUN: ReportRunMeta = { id: 'r1', label: null, banksHash: 'h', judge: 'matcher', startedAt: '2026-01-01T00:00:00Z', finishedAt: null, status: 'finished' };
const TARGETS: ScoreTarget[] = [
  { id: 'east-a', name: '东甲 | 市', region: 'east' },
  { id: 'east-b', name: '东乙', region: 'east' },
  { id: 'north-c', name: '北丙', region: 'north' },
];

let next = 0;
/** One case on `m/<aspect>`; a failure kind implies the verdict that carries it. */
function rec(targetId: string, aspect: string, failure: FailureKind | null, extra: Partial<CaseRecord> = {}): CaseRecord {
  const label: VerdictLabel = failure === null ? 'correct' : failure === 'missing-key-points' ? 'partial' : 'incorrect';
  return {
    targetId,
    questionId: `q-${aspect}-${next++}`,
    matterId: 'm',
    aspectId: aspect,
    intent: `m/${aspect}`,
    variant: 0,
    style: 'canonical',
    repeat: 1,
    critical: false,
    available: true,
    errorKind: null,
    firstMs: 500,
    totalMs: 600,
    verdict: {
      status: 'judged',
      judge: 'matcher',
      turn: 0,
      intentRecognized: true,
      predictedIntent: `m/${aspect}`,
      verdict: label,
      accuracy: label === 'correct' ? 1 : 0,
      keyPointsHit: [],
      factErrors: [],
      contradictions: [],
      ...(failure !== null && { failure }),
      rationale: '',
    },
    failure,
    ...extra,
  };
}

const times = (n: number, make: () => CaseRecord): CaseRecord[] => Array.from({ length: n }, make);

/**
 * Aspect `fee`, 10 cases: wrong-fact 4 (east-a 3, north-c 1), fallback 2 (east-b). Aspect `docs`, 8
 * cases: missing-key-points 4 over all three targets, timeout 2 (east-a). Besides: cases the catalogue
 * must not count — an alias phrasing and a bug of ours.
 */
function cases(): CaseRecord[] {
  next = 0;
  return [
    ...times(3, () => rec('east-a', 'fee', 'wrong-fact')),
    rec('north-c', 'fee', 'wrong-fact'),
    ...times(2, () => rec('east-b', 'fee', 'fallback')),
    ...times(4, () => rec('north-c', 'fee', null)),
    rec('east-a', 'docs', 'missing-key-points'),
    rec('east-b', 'docs', 'missing-key-points'),
    ...times(2, () => rec('north-c', 'docs', 'missing-key-points')),
    ...times(2, () => rec('east-a', 'docs', 'timeout', { available: false, errorKind: 'timeout', firstMs: null, totalMs: null, verdict: null })),
    ...times(2, () => rec('east-b', 'docs', null)),
    rec('east-a', 'fee', 'wrong-matter', { style: 'alias:别名' }),
    rec('east-a', 'fee', null, { errorKind: 'bug', available: false, verdict: null }),
  ];
}

describe('the pain-point catalogue in the report model', () => {
  const model = scoreRun({ run: RUN, targets: TARGETS, cases: cases(), config: { bootstrap: { iterations: 0 } } });

  it('ranks cells by share of their aspect’s cases, then by targets affected', () => {
    expect(model.painPoints.map((p) => [p.kind, p.aspect, p.cases, p.share, p.targets])).toEqual([
      ['missing-key-points', 'docs', 4, 0.5, 3],
      ['wrong-fact', 'fee', 4, 0.4, 2],
      ['timeout', 'docs', 2, 0.25, 1],
      ['fallback', 'fee', 2, 0.2, 1],
    ]);
  });

  it('names the targets most affected first, their regions and example cases', () => {
    const wrongFact = model.painPoints.find((p) => p.kind === 'wrong-fact')!;
    expect(wrongFact.targetIds).toEqual(['east-a', 'north-c']);
    expect(wrongFact.regions).toEqual({ east: 3, north: 1 });
    expect(wrongFact.examples).toEqual(['east-a:q-fee-0:0:1', 'east-a:q-fee-1:0:1', 'east-a:q-fee-2:0:1', 'north-c:q-fee-3:0:1']);
    expect(model.painPoints.find((p) => p.kind === 'missing-key-points')!.targetIds).toEqual(['north-c', 'east-a', 'east-b']);
  });

  it('counts each target’s failures by kind, headline cases only and none of ours', () => {
    const failures = Object.fromEntries(model.targets.map((t) => [t.id, t.failures]));
    expect(failures).toEqual({
      'east-a': { 'wrong-fact': 3, 'missing-key-points': 1, timeout: 2 },
      'east-b': { fallback: 2, 'missing-key-points': 1 },
      'north-c': { 'wrong-fact': 1, 'missing-key-points': 2 },
    });
  });

  it('keeps a bounded number of examples however many cases a cell has', () => {
    const many = scoreRun({ run: RUN, targets: TARGETS, cases: times(50, () => rec('east-a', 'fee', 'fallback')), config: { bootstrap: { iterations: 0 } } });
    expect(many.painPoints).toHaveLength(1);
    expect(many.painPoints[0]).toMatchObject({ cases: 50, share: 1 });
    expect(many.painPoints[0]!.examples).toHaveLength(PAIN_POINT_EXAMPLES);
  });
});

describe('the pain-point catalogue in the reports', () => {
  const model = scoreRun({ run: RUN, targets: TARGETS, cases: cases(), config: { bootstrap: { iterations: 0 } } });

  it('JSON: painPoints with the issue’s keys, and per target failures by kind', () => {
    const json = JSON.parse(renderJson(model)) as {
      painPoints: Record<string, unknown>[];
      targets: { id: string; failures: Record<string, number> }[];
    };
    expect(json.painPoints[0]).toMatchObject({ kind: 'missing-key-points', matter: 'm', aspect: 'docs', cases: 4, share: 0.5, targets: 3 });
    expect(json.painPoints[0]!.examples).toHaveLength(4);
    expect(json.painPoints.map((p) => p.kind)).toEqual(['missing-key-points', 'wrong-fact', 'timeout', 'fallback']);
    expect(json.targets.find((t) => t.id === 'east-b')!.failures).toEqual({ fallback: 2, 'missing-key-points': 1 });
  });

  it('Markdown: the top pain points and each target’s failures, cells escaped', () => {
    const md = renderMarkdown(model);
    const section = md.slice(md.indexOf('## Pain points'), md.indexOf('\n## ', md.indexOf('## Pain points') + 1));
    expect(section).toContain('| 要点不全 missing-key-points | m | docs | 4 | 50% | 3 | east-a:q-docs-10:0:1, east-b:q-docs-11:0:1, north-c:q-docs-12:0:1 |');
    expect(section.indexOf('missing-key-points | m')).toBeLessThan(section.indexOf('事实错误 wrong-fact | m'));
    expect(section).toMatch(/\| Target \| 未理解 fallback \| 要点不全 missing-key-points \| 事实错误 wrong-fact \| 超时 timeout \|/);
    expect(section).toContain('| 东甲 \\| 市 | — | 1 | 3 | 2 |');
  });

  it('says how many answers predate failure kinds, and how to classify them', () => {
    const old = rec('east-a', 'fee', 'wrong-fact');
    const { failure: _kind, ...verdict } = old.verdict as JudgedVerdict;
    const pending = rec('east-b', 'fee', null, { verdict: { ...verdict, uncertain: 'thin evidence' } });
    const cases = [{ ...old, verdict, failure: null }, pending, rec('east-b', 'fee', null)];
    const m = scoreRun({ run: RUN, targets: TARGETS, cases, config: { bootstrap: { iterations: 0 } } });
    expect(m.targets.map((t) => [t.id, t.unclassified])).toEqual(expect.arrayContaining([['east-a', 1], ['east-b', 0]]));
    expect(m.painPoints).toEqual([]);
    expect(renderMarkdown(m)).toContain('> **1 answer without a failure kind**: judged before failure kinds were recorded, so the pain points leave them out. Classify them with `govbench rejudge r1`.');
    expect(renderMarkdown(model)).not.toContain('without a failure kind');
  });

  it('Markdown: no section when every case was correct', () => {
    const clean = scoreRun({ run: RUN, targets: TARGETS, cases: [rec('east-a', 'fee', null)], config: { bootstrap: { iterations: 0 } } });
    expect(renderMarkdown(clean)).not.toContain('## Pain points');
  });
});
