import { isHeadlineStyle, type CaseRecord } from '../../domain/types.js';
import { UserError } from '../../util/errors.js';
import { ACC_WIDTH, addAcc, createAcc, scoresOf, STYLE_CAP } from '../outcome-sums.js';
import { ScoreAccumulator } from '../accumulator.js';
import { resolveScoringConfig } from '../config.js';
import { changeOf, outcomeOf, pairKey, resolveUnits, slim, type UnitSpec } from './pairing.js';
import { mcnemarExact, pairedBootstrapDelta } from './paired-stats.js';
import { FlakyTracker } from './flaky.js';
import type {
  BreakdownChange,
  ChangeCounts,
  CompareOptions,
  CompareSide,
  ComparedPair,
  ComparedRun,
  ComparedUnit,
  Comparison,
  PairChange,
  QuestionComparison,
} from './comparison.js';
import type { ScoreSet } from '../model.js';

/** The significance level of the gate unless configured. */
const DEFAULT_ALPHA = 0.05;

const emptyCounts = (): ChangeCounts => ({ pairs: 0, fixed: 0, regressed: 0, unchanged: 0, excluded: 0, baselinePass: 0, candidatePass: 0 });

function count(c: ChangeCounts, change: PairChange, before: boolean, after: boolean): void {
  if (change === 'excluded') {
    c.excluded++;
    return;
  }
  c.pairs++;
  c[change]++;
  if (before) c.baselinePass++;
  if (after) c.candidatePass++;
}

function counter<T extends ChangeCounts>(m: Map<string, T>, key: string, create: () => T): T {
  let c = m.get(key);
  if (!c) m.set(key, (c = create()));
  return c;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function comparePairs(a: ComparedPair, b: ComparedPair): number {
  return (
    Number(b.critical) - Number(a.critical) ||
    cmp(a.matterId, b.matterId) ||
    cmp(a.questionId, b.questionId) ||
    cmp(a.unit, b.unit) ||
    a.variant - b.variant ||
    a.repeat - b.repeat
  );
}

function statusOf(q: ChangeCounts): QuestionComparison['status'] {
  if (q.pairs === 0) return 'excluded';
  if (q.regressed > 0) return q.fixed > 0 ? 'mixed' : 'regressed';
  return q.fixed > 0 ? 'fixed' : 'unchanged';
}

function validateAlpha(alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) {
    throw new UserError(`[govbench] [compare] alpha must be between 0 and 1 (exclusive), got ${alpha}`, 'e.g. 0.05');
  }
  return alpha;
}

/**
 * Compares a candidate with a baseline case by case: the regression gate (SPEC §6 `compare`).
 *
 * Cases pair by (unit, question, variant, repeat), where units pair targets by role, id or the
 * caller's choice (`resolveUnits`). Each side's cases are read once: the baseline's wait in a map
 * of slim records until their candidate partner streams by, so memory grows with one run's case
 * count in small records, never with transcripts.
 *
 * - `pValue`: McNemar's exact test on regressed vs fixed pairs. Repeats and variants of a question
 *   count as separate pairs here; the score interval below resamples whole questions instead.
 * - `scoreDelta`: technical support (SPEC §5) of the candidate's paired cases minus the baseline's,
 *   with a 95% (configurable) paired cluster bootstrap over questions, seeded. Technical support
 *   rather than plain accuracy because it is the score reports rank on; it includes unjudged and
 *   excluded pairs exactly as a report would (availability counts them, accuracy does not).
 * - Flaky questions — a phrasing right in some repeats and wrong in others, on either side — are
 *   noise: their pairs are set apart (`flaky`, `flakyPairs`) and left out of the counts and McNemar's
 *   test, so a gate fails on real regressions. Their pairs still count in `scoreDelta`, which resamples
 *   whole questions. A critical flaky question the baseline always answered correctly and the
 *   candidate did not is still a critical regression.
 * - The gate `regression` is true when the candidate is significantly worse (`pValue < alpha` and
 *   more pairs regressed than were fixed) or any critical question (by the candidate's bank) has a
 *   regressed pair: a critical answer that used to be right and is now wrong fails the gate alone.
 *
 * Throws a `UserError` when no case pairs at all, since a gate that compared nothing must not pass.
 * Answers are not read here; `src/reports/compare/from-store.ts` attaches them from transcripts.
 */
export function compareRuns(baseline: CompareSide, candidate: CompareSide, options: CompareOptions = {}): Comparison {
  const alpha = validateAlpha(options.alpha ?? DEFAULT_ALPHA);
  const config = resolveScoringConfig(options.scoring);
  const specs = resolveUnits(baseline.targets, candidate.targets, options.targets);
  const unitOf = { baseline: new Map<string, UnitSpec>(), candidate: new Map<string, UnitSpec>() };
  for (const u of specs) {
    unitOf.baseline.set(u.baselineTarget, u);
    unitOf.candidate.set(u.candidateTarget, u);
  }
  const waiting = new Map<string, CaseRecord>();
  const asked = { baseline: new Set<string>(), candidate: new Set<string>() };
  // With explicitly chosen targets the others are not part of the question; otherwise a target
  // that found no partner is worth counting, as it may be a mistake.
  let unpairedTargetCases = 0;
  const flakiness = new FlakyTracker();
  for (const r of baseline.cases) {
    if (!isHeadlineStyle(r.style)) continue;
    const u = unitOf.baseline.get(r.targetId);
    if (!u) {
      if (!options.targets) unpairedTargetCases++;
      continue;
    }
    asked.baseline.add(r.questionId);
    waiting.set(pairKey(u.id, r), slim(r));
    flakiness.add('baseline', u.id, r);
  }

  // Two stand-in targets, one per side, so both sides share question indices; the region is unused.
  const sides = [
    { id: 'baseline', name: 'baseline', region: 'east' },
    { id: 'candidate', name: 'candidate', region: 'east' },
  ] as const;
  const acc = new ScoreAccumulator(sides, config);
  const total = emptyCounts();
  const units = new Map<string, ComparedUnit>(specs.map((u) => [u.id, { ...u, ...emptyCounts() }]));
  const matters = new Map<string, BreakdownChange>();
  const intents = new Map<string, BreakdownChange>();
  const questions = new Map<string, QuestionComparison>();
  const regressedPairs: ComparedPair[] = [];
  const fixedPairs: ComparedPair[] = [];
  const candidateLeft = new Map<string, number>();
  // Pairs are tallied once both sides are read: whether a question is flaky is known only then.
  const matched: { u: UnitSpec; b: CaseRecord; c: CaseRecord; rationale: string | null }[] = [];

  for (const c of candidate.cases) {
    if (!isHeadlineStyle(c.style)) continue;
    const u = unitOf.candidate.get(c.targetId);
    if (!u) {
      if (!options.targets) unpairedTargetCases++;
      continue;
    }
    asked.candidate.add(c.questionId);
    flakiness.add('candidate', u.id, c);
    const key = pairKey(u.id, c);
    const b = waiting.get(key);
    if (!b) {
      candidateLeft.set(c.questionId, (candidateLeft.get(c.questionId) ?? 0) + 1);
      continue;
    }
    waiting.delete(key);
    acc.add({ ...b, targetId: 'baseline' });
    acc.add({ ...c, targetId: 'candidate' });
    const v = c.verdict;
    // A changed pair shows the candidate judge's rationale; the rest of the record can be slim.
    matched.push({ u, b, c: slim(c), rationale: v?.status === 'judged' ? v.rationale || null : null });
  }

  const flaky = flakiness.finish();
  let flakyPairs = 0;
  for (const { u, b, c, rationale } of matched) {
    if (flaky.has(`${u.id}\u0000${c.questionId}`)) {
      flakyPairs++;
      continue;
    }
    const before = outcomeOf(b);
    const after = outcomeOf(c);
    const change = changeOf(before, after);
    const pass = [before === 'correct', after === 'correct'] as const;
    count(total, change, ...pass);
    count(units.get(u.id)!, change, ...pass);
    count(counter(matters, c.matterId, () => ({ id: c.matterId, name: null, ...emptyCounts() })), change, ...pass);
    count(counter(intents, c.intent, () => ({ id: c.intent, name: null, ...emptyCounts() })), change, ...pass);
    const q = counter(questions, `${u.id}\u0000${c.questionId}`, () => ({
      unit: u.id,
      questionId: c.questionId,
      matterId: c.matterId,
      intent: c.intent,
      critical: c.critical,
      status: 'unchanged' as const,
      asked: null,
      ...emptyCounts(),
    }));
    count(q, change, ...pass);
    if (change === 'fixed' || change === 'regressed') {
      (change === 'fixed' ? fixedPairs : regressedPairs).push({
        unit: u.id,
        baselineTarget: u.baselineTarget,
        candidateTarget: u.candidateTarget,
        questionId: c.questionId,
        matterId: c.matterId,
        intent: c.intent,
        critical: c.critical,
        variant: c.variant,
        style: c.style,
        repeat: c.repeat,
        baseline: before,
        candidate: after,
        rationale,
        asked: null,
        baselineAnswer: null,
        candidateAnswer: null,
      });
    }
  }
  matched.length = 0;
  if (total.pairs + total.excluded + flakyPairs === 0) {
    throw new UserError(
      `[govbench] [compare] no case of the baseline (${baseline.run.id}) pairs with one of the candidate (${candidate.run.id})`,
      'pairs need the same target id or a shared role, and the same question, variant and repeat; name the two targets to compare explicitly',
    );
  }

  const unpaired = {
    baselineCases: 0,
    candidateCases: 0,
    baselineOnlyQuestions: [...asked.baseline].filter((q) => !asked.candidate.has(q)).length,
    candidateOnlyQuestions: [...asked.candidate].filter((q) => !asked.baseline.has(q)).length,
    baselineOnlyCases: 0,
    candidateOnlyCases: 0,
    unpairedTargetCases,
  };
  for (const b of waiting.values()) {
    if (asked.candidate.has(b.questionId)) unpaired.baselineCases++;
    else unpaired.baselineOnlyCases++;
  }
  for (const [q, n] of candidateLeft) {
    if (asked.baseline.has(q)) unpaired.candidateCases += n;
    else unpaired.candidateOnlyCases += n;
  }
  waiting.clear();

  const names = {
    matters: new Map((options.names?.matters ?? []).map((m) => [m.id, m.name])),
    intents: new Map((options.names?.intents ?? []).map((i) => [i.id, i.name])),
  };
  const pValue = mcnemarExact(total.regressed, total.fixed);
  const candidateWorse = total.regressed > total.fixed;
  const significant = pValue < alpha;
  const flakyList = [...flaky.values()].sort((a, b) => Number(b.critical) - Number(a.critical) || cmp(a.questionId, b.questionId) || cmp(a.unit, b.unit));
  const criticalRegressions = [
    ...new Set([...regressedPairs.filter((p) => p.critical).map((p) => p.questionId), ...flakyList.filter((q) => q.criticalRegression).map((q) => q.questionId)]),
  ].sort(cmp);
  const questionList = [...questions.values()].map((q) => ({ ...q, status: statusOf(q) }));
  const { delta, scores } = scoreDifference(acc, config);

  return {
    baseline: comparedRun(baseline, specs.map((u) => u.baselineTarget)),
    candidate: comparedRun(candidate, specs.map((u) => u.candidateTarget)),
    ...total,
    units: [...units.values()],
    sharedQuestionsOnly: baseline.run.banksHash !== candidate.run.banksHash,
    sharedQuestions: new Set(questionList.map((q) => q.questionId)).size,
    unpaired,
    pValue,
    alpha,
    candidateWorse,
    significant,
    scoreDelta: { score: 'technicalSupport', confidence: config.bootstrap.confidence, ...delta },
    scores,
    criticalRegressions,
    flaky: flakyList,
    flakyPairs,
    regression: (significant && candidateWorse) || criticalRegressions.length > 0,
    matters: [...matters.values()].sort((a, b) => cmp(a.id, b.id)).map((m) => ({ ...m, name: names.matters.get(m.id) ?? null })),
    intents: [...intents.values()].sort((a, b) => cmp(a.id, b.id)).map((i) => ({ ...i, name: names.intents.get(i.id) ?? null })),
    questions: questionList.sort(
      (a, b) => Number(b.critical) - Number(a.critical) || cmp(a.matterId, b.matterId) || cmp(a.questionId, b.questionId) || cmp(a.unit, b.unit),
    ),
    regressedPairs: regressedPairs.sort(comparePairs),
    fixedPairs: fixedPairs.sort(comparePairs),
    config,
  };
}

function comparedRun(side: CompareSide, targets: string[]): ComparedRun {
  return { ...side.run, targets };
}

/**
 * Per-question accumulators of both sides, aligned by question id (so the resamples do not depend
 * on the order cases arrived in), and the bootstrap of their technical-support difference.
 */
function scoreDifference(acc: ScoreAccumulator, config: Comparison['config']): {
  delta: ReturnType<typeof pairedBootstrapDelta>;
  scores: Comparison['scores'];
} {
  const run = acc.snapshot();
  const order = run.questions.map((q, i) => [q.id, i] as const).sort((a, b) => cmp(a[0], b[0]));
  const position = new Map(order.map(([, q], pos) => [q, pos]));
  const [b, c] = run.targets.map((t) => {
    const clusters = new Float64Array(order.length * ACC_WIDTH);
    for (const [key, slot] of t.slotOf) addAcc(clusters, position.get(Math.floor(key / STYLE_CAP))! * ACC_WIDTH, t.data, slot * ACC_WIDTH);
    return clusters;
  }) as [Float64Array, Float64Array];
  const total = (clusters: Float64Array): ScoreSet => {
    const sum = createAcc();
    for (let off = 0; off < clusters.length; off += ACC_WIDTH) addAcc(sum, 0, clusters, off);
    return scoresOf(sum, 0, config);
  };
  return { delta: pairedBootstrapDelta(b, c, config, 'technicalSupport', 'compare'), scores: { baseline: total(b), candidate: total(c) } };
}
