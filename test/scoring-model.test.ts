import { describe, expect, it } from 'vitest';
import { ScoreAccumulator } from '../src/scoring/accumulator.js';
import { ACC_WIDTH } from '../src/scoring/outcome-sums.js';
import type { ReportModel, TargetReport } from '../src/scoring/model.js';
import { scoreRun, scoreRunAsync } from '../src/scoring/score-run.js';
import { CASES, record, RUN, TARGETS } from './scoring-fixtures.js';

const model = scoreRun({ run: RUN, targets: TARGETS, cases: CASES, matters: [{ id: 'm1', name: '药品经营许可' }] });
const target = (m: ReportModel, id: string): TargetReport => m.targets.find((t) => t.id === id)!;

/*
 * shanghai, worked by hand:
 *   7 cases; the typo variant of q2 timed out → 6 available; q3 repeat 0 is unjudged → 5 judged.
 *   intent: q1 ✓, q1-colloquial ✓, q2 ✓, q2-colloquial ✗, q3-r1 ✗                 = 3/5 = 60
 *   accuracy: 1 + 0.5 + 1 + 0 + 0                                                = 2.5/5 = 50
 *   availability: 6/7                                                            = 85.714…
 *   responsiveness: 1 s→100, 16.5 s→50, 3 s→100, 2 s→100, 30 s→0, 3 s→100       = 450/6 = 75
 *   technical support: 0.4·50 + 0.3·60 + 0.2·600/7 + 0.1·75                      = 62.642857… → average
 *   first-reply latencies sorted: 1000 2000 3000 3000 16500 30000 → p50 3000, p95 16500 + 0.75·13500 = 26625
 */
describe('scoreRun: per target', () => {
  const sh = target(model, 'shanghai');

  it('counts cases, technical failures and unjudged cases', () => {
    expect(sh).toMatchObject({ cases: 7, errors: 1, available: 6, judged: 5, unjudged: 1, questions: 3 });
    expect(sh.errorKinds).toEqual({ timeout: 1 });
    expect(sh.verdicts).toEqual({ correct: 2, partial: 1, incorrect: 1, 'no-answer': 1 });
  });

  it('scores intent and accuracy over available judged cases, availability over all, responsiveness over available', () => {
    expect(sh.scores.intent).toBeCloseTo(60, 9);
    expect(sh.scores.accuracy).toBeCloseTo(50, 9);
    expect(sh.scores.availability).toBeCloseTo(600 / 7, 9);
    expect(sh.scores.responsiveness).toBeCloseTo(75, 9);
    expect(sh.scores.technicalSupport).toBeCloseTo(20 + 18 + 120 / 7 + 7.5, 9);
    expect(sh.grade).toBe('average');
  });

  it('reports p50 and p95 of the first reply (type 7) and of the finished reply', () => {
    expect(sh.latency.p50Ms).toBe(3000);
    expect(sh.latency.p95Ms).toBeCloseTo(26625, 9);
    expect(sh.latency.totalP50Ms).toBe(3500);
  });

  it('grades the others: beijing excellent, hangzhou excellent, wuhan unscored', () => {
    // beijing: intent 100, accuracy 2.5/3, availability 100, responsiveness 100 → 33.33 + 30 + 20 + 10.
    const bj = target(model, 'beijing');
    expect(bj.scores.accuracy).toBeCloseTo(250 / 3, 9);
    expect(bj.scores.technicalSupport).toBeCloseTo(100 / 3 + 60, 9);
    expect(bj.grade).toBe('excellent');
    expect(target(model, 'hangzhou').scores.technicalSupport).toBeCloseTo(100, 9);
    const wh = target(model, 'wuhan');
    expect(wh).toMatchObject({ cases: 0, grade: null, rank: null, tied: false });
    expect(Object.values(wh.scores).every((v) => v === null)).toBe(true);
    expect(Object.values(wh.intervals).every((v) => v === null)).toBe(true);
  });

  it('builds the intent confusion table from predictedIntent, a recognized null intent on the diagonal', () => {
    expect(sh.confusion.matrix).toEqual({
      'm1/a': { 'm1/a': 2 },
      'm1/b': { 'm1/b': 1, 'm2/a': 1 },
      'm2/a': { '(none)': 1 },
    });
    expect(sh.confusion.top).toEqual([
      { asked: 'm1/b', addressed: 'm2/a', count: 1, share: 0.5 },
      { asked: 'm2/a', addressed: '(none)', count: 1, share: 1 },
    ]);
    expect(target(model, 'beijing').confusion.top).toEqual([]);
  });
});

/*
 * shanghai by style. Paired questions: colloquial q1, q2; typo q2.
 *   canonical on q1+q2: intent 100, accuracy 100, availability 100, responsiveness 100 → technical support 100
 *   colloquial on q1+q2: intent 50, accuracy 25, availability 100, responsiveness (50+100)/2 = 75 → 10 + 15 + 20 + 7.5 = 52.5
 *   typo on q2: nothing available → accuracy null, availability 0, technical support 0
 */
describe('scoreRun: robustness by variant style', () => {
  const sh = target(model, 'shanghai');

  it('scores each style and the paired gap canonical − style', () => {
    expect(sh.styles.map((s) => s.style)).toEqual(['canonical', 'colloquial', 'typo']);
    const [canonical, colloquial, typo] = sh.styles;
    expect(canonical).toMatchObject({ cases: 4, judged: 3, gap: null, pairedQuestions: 0 });
    expect(canonical!.scores.accuracy).toBeCloseTo(200 / 3, 9);
    expect(colloquial).toMatchObject({ cases: 2, judged: 2, pairedQuestions: 2 });
    expect(colloquial!.scores).toMatchObject({ intent: 50, accuracy: 25 });
    expect(colloquial!.gap!.accuracy).toBeCloseTo(75, 9);
    expect(colloquial!.gap!.intent).toBeCloseTo(50, 9);
    expect(colloquial!.gap!.availability).toBeCloseTo(0, 9);
    expect(colloquial!.gap!.responsiveness).toBeCloseTo(25, 9);
    expect(colloquial!.gap!.technicalSupport).toBeCloseTo(47.5, 9);
    expect(typo!.gap).toEqual({ intent: null, accuracy: null, availability: 100, responsiveness: null, technicalSupport: 100 });
  });

  it('averages styles and gaps over the targets that have them', () => {
    const [canonical, colloquial] = model.styles;
    expect(canonical!.style).toBe('canonical');
    // canonical accuracy: shanghai 66.67, beijing 83.33, hangzhou 100.
    expect(canonical!.scores.accuracy).toBeCloseTo((200 / 3 + 250 / 3 + 100) / 3, 9);
    expect(canonical!.cases).toBe(8);
    expect(colloquial!.gap!.accuracy).toBeCloseTo(75, 9);
  });
});

describe('scoreRun: regions, matters and aspects', () => {
  it('averages each region’s targets and names the best', () => {
    // In the order of REGIONS, only regions with targets.
    expect(model.regions.map((r) => r.id)).toEqual(['east', 'central', 'north']);
    const east = model.regions[0]!;
    expect(east.targets.sort()).toEqual(['hangzhou', 'shanghai']);
    expect(east.scores.accuracy).toBeCloseTo((50 + 100) / 2, 9);
    expect(east.scores.technicalSupport).toBeCloseTo((20 + 18 + 120 / 7 + 7.5 + 100) / 2, 9);
    expect(east).toMatchObject({ best: 'hangzhou', bestName: '杭州' });
    expect(model.regions[1]).toMatchObject({ id: 'central', best: null, bestName: null });
    expect(model.regions[1]!.scores.technicalSupport).toBeNull();
    expect(model.regions[2]).toMatchObject({ id: 'north', best: 'beijing' });
  });

  it('breaks ties for the best of a region by accuracy, then id', () => {
    const m = scoreRun({
      run: RUN,
      targets: [
        { id: 'b', name: 'B', region: 'east' },
        { id: 'a', name: 'A', region: 'east' },
      ],
      cases: [record({ target: 'a', q: 'q1', v: ['correct', true, 1, 'm1/a'] }), record({ target: 'b', q: 'q1', v: ['correct', true, 1, 'm1/a'] })],
    });
    expect(m.regions[0]!.best).toBe('a');
  });

  /*
   * m1 — shanghai: 5 cases, 4 available, intent 3/4 = 75, accuracy 2.5/4 = 62.5, availability 80,
   *      responsiveness (100+50+100+100)/4 = 87.5 → 25 + 22.5 + 16 + 8.75 = 72.25; beijing 100; hangzhou 100.
   * m2 — shanghai: intent 0/1, accuracy 0, availability 100, responsiveness (0+100)/2 = 50 → 25;
   *      beijing: accuracy 50, intent 100 → 20 + 30 + 20 + 10 = 80.
   */
  it('averages each matter over the targets asked about it', () => {
    expect(model.matters.map((m) => [m.id, m.name, m.cases])).toEqual([
      ['m1', '药品经营许可', 8],
      ['m2', null, 3],
    ]);
    const [m1, m2] = model.matters;
    expect(m1!.byTarget.shanghai!.technicalSupport).toBeCloseTo(72.25, 9);
    expect(m1!.scores.technicalSupport).toBeCloseTo((72.25 + 100 + 100) / 3, 9);
    expect(m1!.scores.accuracy).toBeCloseTo((62.5 + 100 + 100) / 3, 9);
    expect(m2!.byTarget.shanghai!.technicalSupport).toBeCloseTo(25, 9);
    expect(m2!.scores.technicalSupport).toBeCloseTo(52.5, 9);
    expect(Object.keys(m2!.byTarget).sort()).toEqual(['beijing', 'shanghai']);
  });

  it('does the same per aspect (intent)', () => {
    expect(model.aspects.map((a) => a.id)).toEqual(['m1/a', 'm1/b', 'm2/a']);
    // m1/b at shanghai: q2 canonical correct, colloquial incorrect, typo timed out.
    expect(model.aspects[1]!.byTarget.shanghai).toMatchObject({ intent: 50, accuracy: 50 });
  });

  it('totals the run', () => {
    expect(model.totals).toEqual({ cases: 11, errors: 1, available: 10, judged: 9, unjudged: 1, targets: 4, questions: 3 });
  });
});

describe('scoreRun: intervals and ranks', () => {
  it('gives every score an interval that contains the point estimate', () => {
    for (const id of ['shanghai', 'beijing']) {
      const t = target(model, id);
      for (const [name, iv] of Object.entries(t.intervals)) {
        const point = t.scores[name as keyof typeof t.scores]!;
        expect(iv, `${id} ${name}`).not.toBeNull();
        expect(iv![0]).toBeLessThanOrEqual(point + 1e-9);
        expect(iv![1]).toBeGreaterThanOrEqual(point - 1e-9);
      }
    }
    // hangzhou has one question: nothing to resample.
    expect(target(model, 'hangzhou').intervals.technicalSupport).toEqual([100, 100]);
  });

  it('is reproducible, and independent of case order and of the other targets', () => {
    const again = scoreRun({ run: RUN, targets: [...TARGETS].reverse(), cases: [...CASES].reverse() });
    expect(target(again, 'shanghai').intervals).toEqual(target(model, 'shanghai').intervals);
    const alone = scoreRun({ run: RUN, targets: TARGETS.slice(0, 1), cases: CASES.filter((c) => c.targetId === 'shanghai') });
    expect(target(alone, 'shanghai').intervals).toEqual(target(model, 'shanghai').intervals);
  });

  /*
   * Three questions per target, so the extreme replicates are hand-computable: drawing the same
   * question three times has probability 1/27 ≈ 3.7% > 2.5%, so the interval ends are single questions.
   *   shanghai: q3 alone → 0.2·100 + 0.1·50 = 25; q1 alone (canonical + colloquial) → 0.4·75 + 0.3·100 + 0.2·100 + 0.1·75 = 87.5
   *   beijing: q3 alone → 80; q1 or q2 alone → 100.   hangzhou: one question → [100, 100].
   */
  it('gives the hand-computed extremes as interval ends', () => {
    expect(target(model, 'shanghai').intervals.technicalSupport).toEqual([25, 87.5]);
    expect(target(model, 'beijing').intervals.technicalSupport).toEqual([80, 100]);
  });

  /*
   * The joint bootstrap draws the same questions for every target. hangzhou was asked q1 only and keeps
   * 100 wherever q1 is not drawn: rank 1 always. beijing is 100 unless q3 is drawn (then below hangzhou;
   * 1 − (2/3)³ ≈ 70% of replicates): [1, 2]. shanghai is below beijing on every draw (25…87.5 against
   * 80…100 on the same questions): [3, 3], although its own interval [25, 87.5] overlaps beijing's.
   */
  it('ranks from rank intervals of the joint bootstrap: ties where they overlap, unscored last', () => {
    expect(model.targets.map((t) => [t.id, t.rankInterval, t.rank, t.tied])).toEqual([
      ['hangzhou', [1, 1], 1, true],
      ['beijing', [1, 2], 1, true],
      ['shanghai', [3, 3], 3, false],
      ['wuhan', null, null, false],
    ]);
  });

  it('gives a grade range where the technical-support interval straddles a band, the grade staying the point\'s', () => {
    expect(target(model, 'beijing')).toMatchObject({ grade: 'excellent', gradeRange: ['good', 'excellent'] });
    expect(target(model, 'shanghai')).toMatchObject({ grade: 'average', gradeRange: ['poor', 'excellent'] });
    expect(target(model, 'hangzhou').gradeRange).toBeNull();
    expect(target(model, 'wuhan').gradeRange).toBeNull();
  });

  it('ranks by points alone with bootstrapping off', () => {
    const m = scoreRun({ run: RUN, targets: TARGETS, cases: CASES, config: { bootstrap: { iterations: 0 } } });
    expect(m.targets.map((t) => [t.id, t.rankInterval, t.rank, t.tied])).toEqual([
      ['hangzhou', [1, 1], 1, false],
      ['beijing', [2, 2], 2, false],
      ['shanghai', [3, 3], 3, false],
      ['wuhan', null, null, false],
    ]);
  });
});

describe('scoreRun: inputs', () => {
  it('throws on a case of a target it was not given', () => {
    expect(() => scoreRun({ run: RUN, targets: TARGETS, cases: [record({ target: 'nowhere', q: 'q1' })] })).toThrow(/unknown target "nowhere"/);
  });

  it('counts an available case without a verdict as unjudged', () => {
    const m = scoreRun({ run: RUN, targets: TARGETS, cases: [record({ target: 'beijing', q: 'q1' })] });
    expect(target(m, 'beijing')).toMatchObject({ available: 1, judged: 0, unjudged: 1 });
    expect(target(m, 'beijing').scores.accuracy).toBeNull();
  });

  it('gives the same model from an async stream and from the accumulator used incrementally', async () => {
    async function* stream() {
      yield* CASES;
    }
    const fromAsync = await scoreRunAsync({ run: RUN, targets: TARGETS, cases: stream(), matters: [{ id: 'm1', name: '药品经营许可' }] });
    expect(fromAsync).toEqual(model);
    const acc = new ScoreAccumulator(TARGETS);
    acc.addAll(CASES.slice(0, 5));
    acc.finish(RUN);
    acc.addAll(CASES.slice(5));
    expect(acc.finish(RUN, { matters: [{ id: 'm1', name: '药品经营许可' }] })).toEqual(model);
  });

  // How fast is `npm run bench`'s business; here, that the sums grow with targets × questions × styles.
  it('keeps memory per question and style, not per case: 100k cases fill 800 slots a target', () => {
    const targets = Array.from({ length: 50 }, (_, i) => ({ id: `t${i}`, name: `T${i}`, region: 'east' as const }));
    function* cases() {
      for (let n = 0; n < 100_000; n++) {
        const t = n % 50;
        const q = Math.floor(n / 50) % 200;
        yield record({
          target: `t${t}`,
          q: `q${q}`,
          style: ['canonical', 'colloquial', 'typo', 'indirect'][Math.floor(n / 10_000) % 4]!,
          repeat: Math.floor(n / 40_000),
          firstMs: 500 + ((n * 37) % 20_000),
          v: ['partial', (n + t) % 3 !== 0, ((n + q) % 5) / 4, null],
        });
      }
    }
    const acc = new ScoreAccumulator(targets).addAll(cases());
    for (const t of acc.snapshot().targets) {
      // 200 questions × 4 styles, however many repeats; the slot array at most doubles past what it holds.
      expect(t.slotOf.size).toBe(800);
      expect(t.data.length).toBeLessThanOrEqual(2 * 800 * ACC_WIDTH);
      // The one per-case cost: a latency each, for exact quantiles.
      expect(t.firstMs.length).toBe(2000);
    }
    const m = acc.finish(RUN);
    expect(m.totals.cases).toBe(100_000);
    expect(m.targets.every((t) => t.questions === 200 && t.cases === 2000 && t.intervals.technicalSupport !== null)).toBe(true);
  });
});

describe('consistency across repeats', () => {
  it('counts a phrasing consistent only when every repeat got the first repeat\'s verdict', async () => {
    const { scoreRun } = await import('../src/scoring/score-run.js');
    const base = { targetId: 'a', matterId: 'm', aspectId: 'x', intent: 'm/x', style: 'canonical', critical: false, available: true, errorKind: null, firstMs: 100, totalMs: 100, failure: null };
    const v = (verdict: 'correct' | 'partial') => ({ status: 'judged' as const, judge: 'matcher', turn: 0, intentRecognized: true, predictedIntent: 'm/x', verdict, accuracy: verdict === 'correct' ? 1 : 0.5, keyPointsHit: [], factErrors: [], contradictions: [], rationale: '' });
    const cases = [
      { ...base, questionId: 'q1', variant: 0, repeat: 1, verdict: v('correct') },
      { ...base, questionId: 'q1', variant: 0, repeat: 2, verdict: v('correct') },
      { ...base, questionId: 'q2', variant: 0, repeat: 1, verdict: v('correct') },
      { ...base, questionId: 'q2', variant: 0, repeat: 2, verdict: v('partial') },
      { ...base, questionId: 'q3', variant: 0, repeat: 1, verdict: v('correct') },
    ];
    const run = { id: 'r', label: null, banksHash: 'h', judge: 'matcher' as const, startedAt: '', finishedAt: null, status: 'finished' as const };
    const model = scoreRun({ run, targets: [{ id: 'a', name: 'A', region: 'east' }], cases });
    expect(model.targets[0]!.consistency).toEqual({
      phrasings: 2,
      consistent: 1,
      score: 50,
      k: 2,
      passAll: 1,
      passK: 50,
      pass1: 75,
      flipping: 1,
      flipShare: 50,
      flaky: ['q2'],
    });
    const single = scoreRun({ run, targets: [{ id: 'a', name: 'A', region: 'east' }], cases: cases.slice(4) });
    expect(single.targets[0]!.consistency).toBeNull();
  });
});

describe('pass^k across repeats', () => {
  it('needs every one of k attempts correct, counts a missing reply as a wrong attempt, and lists the questions that flip', async () => {
    const { scoreRun } = await import('../src/scoring/score-run.js');
    const base = { targetId: 'a', matterId: 'm', aspectId: 'x', intent: 'm/x', style: 'canonical', critical: false, errorKind: null, firstMs: 100, totalMs: 100, failure: null };
    const v = (verdict: 'correct' | 'incorrect') => ({ status: 'judged' as const, judge: 'matcher', turn: 0, intentRecognized: true, predictedIntent: 'm/x', verdict, accuracy: verdict === 'correct' ? 1 : 0, keyPointsHit: [], factErrors: [], contradictions: [], rationale: '' });
    const ok = (questionId: string, variant: number, repeat: number, verdict: 'correct' | 'incorrect') => ({ ...base, questionId, variant, repeat, available: true, verdict: v(verdict) });
    const cases = [
      // q1: right three times in both phrasings.
      ...[1, 2, 3].flatMap((r) => [ok('q1', 0, r, 'correct'), ok('q1', 1, r, 'correct')]),
      // q2: right twice, then no reply at all — the same verdict never came, and pass^3 fails.
      ok('q2', 0, 1, 'correct'),
      ok('q2', 0, 2, 'correct'),
      { ...base, questionId: 'q2', variant: 0, repeat: 3, available: false, errorKind: 'timeout' as const, firstMs: null, totalMs: null, verdict: null },
      // q3: wrong every time — consistent, never passing, not flaky.
      ...[1, 2, 3].map((r) => ok('q3', 0, r, 'incorrect')),
      // q4: its variant flips; the question is flaky.
      ...[1, 2, 3].flatMap((r) => [ok('q4', 0, r, 'correct'), ok('q4', 2, r, r === 2 ? 'incorrect' : 'correct')]),
    ];
    const run = { id: 'r', label: null, banksHash: 'h', judge: 'matcher' as const, startedAt: '', finishedAt: null, status: 'finished' as const };
    const c = scoreRun({ run, targets: [{ id: 'a', name: 'A', region: 'east' }], cases }).targets[0]!.consistency!;
    expect(c).toMatchObject({ phrasings: 6, k: 3, passAll: 3, flipping: 2, flaky: ['q2', 'q4'] });
    expect(c.passK).toBeCloseTo(50);
    expect(c.pass1).toBeCloseTo((13 / 18) * 100);
    expect(c.flipShare).toBeCloseTo((2 / 6) * 100);
  });
});

describe('intent precision / recall / macro-F1', () => {
  it('computes per-intent metrics from the summed confusion and averages F1, not P and R', async () => {
    const { intentMetrics } = await import('../src/scoring/intent-metrics.js');
    // Target 1: a asked 4× (3 → a, 1 → b); b asked 2× (2 → b). Target 2: a asked 1× (→ none); b asked 2× (1 → a, 1 → b).
    const m = intentMetrics([
      { a: { a: 3, b: 1 }, b: { b: 2 } },
      { a: { '(none)': 1 }, b: { a: 1, b: 1 } },
    ]);
    const a = m.perIntent.find((x) => x.intent === 'a')!;
    const b = m.perIntent.find((x) => x.intent === 'b')!;
    // a: tp 3, addressed 4, asked 5 → P 0.75, R 0.6, F1 = 2·0.45/1.35 = 0.6667
    expect(a).toMatchObject({ support: 5, addressed: 4 });
    expect(a.precision).toBeCloseTo(0.75);
    expect(a.recall).toBeCloseTo(0.6);
    expect(a.f1).toBeCloseTo(2 / 3);
    // b: tp 3, addressed 4, asked 4 → P 0.75, R 0.75, F1 0.75
    expect(b.precision).toBeCloseTo(0.75);
    expect(b.recall).toBeCloseTo(0.75);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 0.75) / 2);
    expect(m.perIntent.map((x) => x.intent)).toEqual(['a', 'b']);
    expect(intentMetrics([]).macroF1).toBeNull();
  });
});
