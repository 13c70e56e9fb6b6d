import { CANONICAL_STYLE, REGIONS, SCORE_NAMES } from '../domain/types.js';
import { ACC_WIDTH, addAcc, countsOf, createAcc, scoresOf, STYLE_CAP, type AccumulatedRun, type AccumulatedTarget } from './outcome-sums.js';
import { bootstrapIntervals } from './bootstrap.js';
import { gradeFor } from './config.js';
import type {
  Consistency,
  BreakdownReport,
  CaseCounts,
  Confusion,
  ConfusionTable,
  RegionReport,
  ReportModel,
  ReportRunMeta,
  ScoreNames,
  ScoreSet,
  StyleReport,
  StyleScores,
  TargetReport,
} from './model.js';
import { intentMetrics } from './intent-metrics.js';
import type { CalibrationChoice } from './corrected.js';
import { rankTargets } from './rank-intervals.js';
import { meanOf, quantileSorted } from './stats.js';

/** The styles reports list first, in this order; other styles follow by name. */
const USUAL_STYLES: readonly string[] = [CANONICAL_STYLE, 'colloquial', 'typo', 'indirect'];

function compareStyles(a: string, b: string): number {
  const ia = USUAL_STYLES.indexOf(a);
  const ib = USUAL_STYLES.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Per-target sums regrouped by question, matter, intent and style. */
interface TargetGroups {
  total: Float64Array;
  /** Question index → the question's accumulator (all styles, all repeats). */
  questions: Map<number, Float64Array>;
  matters: Map<string, Float64Array>;
  intents: Map<string, Float64Array>;
  styles: Map<string, Float64Array>;
  /** Style → [canonical on the paired questions, the style on them, number of paired questions]. */
  paired: Map<string, { canonical: Float64Array; style: Float64Array; questions: number }>;
}

function group(run: AccumulatedRun, t: AccumulatedTarget): TargetGroups {
  const g: TargetGroups = {
    total: createAcc(),
    questions: new Map(),
    matters: new Map(),
    intents: new Map(),
    styles: new Map(),
    paired: new Map(),
  };
  const into = <K>(m: Map<K, Float64Array>, k: K, off: number): void => {
    let a = m.get(k);
    if (!a) m.set(k, (a = createAcc()));
    addAcc(a, 0, t.data, off);
  };
  const canonicalIndex = run.styles.indexOf(CANONICAL_STYLE);
  for (const [key, slot] of t.slotOf) {
    const q = Math.floor(key / STYLE_CAP);
    const s = key % STYLE_CAP;
    const meta = run.questions[q]!;
    const style = run.styles[s]!;
    const off = slot * ACC_WIDTH;
    addAcc(g.total, 0, t.data, off);
    into(g.questions, q, off);
    into(g.matters, meta.matterId, off);
    into(g.intents, meta.intent, off);
    into(g.styles, style, off);
    if (s === canonicalIndex) continue;
    const canonicalSlot = canonicalIndex === -1 ? undefined : t.slotOf.get(q * STYLE_CAP + canonicalIndex);
    if (canonicalSlot === undefined) continue;
    let p = g.paired.get(style);
    if (!p) g.paired.set(style, (p = { canonical: createAcc(), style: createAcc(), questions: 0 }));
    addAcc(p.canonical, 0, t.data, canonicalSlot * ACC_WIDTH);
    addAcc(p.style, 0, t.data, off);
    p.questions++;
  }
  return g;
}

function difference(a: ScoreSet, b: ScoreSet): ScoreSet {
  const out = {} as ScoreSet;
  for (const n of SCORE_NAMES) {
    const x = a[n];
    const y = b[n];
    out[n] = x === null || y === null ? null : x - y;
  }
  return out;
}

function meanScores(sets: readonly ScoreSet[]): ScoreSet {
  const out = {} as ScoreSet;
  for (const n of SCORE_NAMES) out[n] = meanOf(sets.map((s) => s[n]));
  return out;
}

function sumCounts(list: readonly CaseCounts[]): CaseCounts {
  const c: CaseCounts = { cases: 0, errors: 0, available: 0, judged: 0, unjudged: 0 };
  for (const x of list) {
    c.cases += x.cases;
    c.errors += x.errors;
    c.available += x.available;
    c.judged += x.judged;
    c.unjudged += x.unjudged;
  }
  return c;
}

function confusionTable(rows: Map<string, Map<string, number>>): ConfusionTable {
  const matrix: Record<string, Record<string, number>> = {};
  const top: Confusion[] = [];
  for (const asked of [...rows.keys()].sort()) {
    const row = rows.get(asked)!;
    const total = [...row.values()].reduce((a, b) => a + b, 0);
    const out: Record<string, number> = {};
    for (const addressed of [...row.keys()].sort()) {
      const count = row.get(addressed)!;
      out[addressed] = count;
      if (addressed !== asked) top.push({ asked, addressed, count, share: count / total });
    }
    matrix[asked] = out;
  }
  top.sort((a, b) => b.count - a.count || byId({ id: a.asked }, { id: b.asked }) || byId({ id: a.addressed }, { id: b.addressed }));
  return { matrix, top };
}

function targetReport(run: AccumulatedRun, t: AccumulatedTarget, g: TargetGroups): TargetReport {
  const { config } = run;
  const scores = scoresOf(g.total, 0, config);
  // Clusters in question-id order, so the resamples do not depend on the order cases arrived in.
  const order = [...g.questions.keys()].sort((a, b) => byId(run.questions[a]!, run.questions[b]!));
  const clusters = new Float64Array(order.length * ACC_WIDTH);
  order.forEach((q, i) => clusters.set(g.questions.get(q)!, i * ACC_WIDTH));

  const styles: StyleScores[] = [...g.styles.keys()].sort(compareStyles).map((style) => {
    const p = g.paired.get(style);
    return {
      style,
      ...countsOf(g.styles.get(style)!),
      pairedQuestions: p?.questions ?? 0,
      scores: scoresOf(g.styles.get(style)!, 0, config),
      gap: p ? difference(scoresOf(p.canonical, 0, config), scoresOf(p.style, 0, config)) : null,
    };
  });

  const first = t.firstMs.sorted();
  const total = t.totalMs.sorted();
  return {
    id: t.target.id,
    name: t.target.name,
    region: t.target.region,
    province: t.target.province ?? null,
    rank: null,
    tied: false,
    rankInterval: null,
    gradeRange: null,
    corrected: null,
    grade: scores.technicalSupport === null ? null : gradeFor(scores.technicalSupport, config.grades),
    ...countsOf(g.total),
    questions: order.length,
    errorKinds: { ...t.errorKinds },
    verdicts: { ...t.verdicts },
    pending: t.pending,
    outdated: t.outdated,
    latency: {
      p50Ms: quantileSorted(first, 0.5),
      p95Ms: quantileSorted(first, 0.95),
      totalP50Ms: quantileSorted(total, 0.5),
      totalP95Ms: quantileSorted(total, 0.95),
    },
    scores,
    intervals: bootstrapIntervals(clusters, config, t.target.id),
    styles,
    confusion: confusionTable(t.confusion),
    consistency: consistencyOf(t.repeats),
    failures: run.pains.failuresOf(t.target.id),
    unclassified: run.pains.unclassifiedOf(t.target.id),
    aliases: [],
  };
}

function consistencyOf(repeats: AccumulatedTarget['repeats']): Consistency | null {
  let phrasings = 0;
  let consistent = 0;
  let k = Infinity;
  let passAll = 0;
  let attempts = 0;
  let correct = 0;
  let flipping = 0;
  const flaky = new Set<string>();
  for (const r of repeats.values()) {
    if (r.n < 2) continue;
    phrasings += 1;
    if (r.agree) consistent += 1;
    k = Math.min(k, r.n);
    attempts += r.n;
    correct += r.correct;
    if (r.correct === r.n) passAll += 1;
    else if (r.correct > 0) {
      flipping += 1;
      flaky.add(r.questionId);
    }
  }
  if (phrasings === 0) return null;
  return {
    phrasings,
    consistent,
    score: (consistent / phrasings) * 100,
    k,
    passAll,
    passK: (passAll / phrasings) * 100,
    pass1: (correct / attempts) * 100,
    flipping,
    flipShare: (flipping / phrasings) * 100,
    flaky: [...flaky].sort(),
  };
}

/** Sorts: rank, then technical support (higher first), then id; unscored last. */
function compareTargets(a: TargetReport, b: TargetReport): number {
  const ra = a.rank ?? Infinity;
  const rb = b.rank ?? Infinity;
  if (ra !== rb) return ra - rb;
  const sa = a.scores.technicalSupport ?? -Infinity;
  const sb = b.scores.technicalSupport ?? -Infinity;
  if (sa !== sb) return sb - sa;
  return byId(a, b);
}

/** Best of a region: highest technical support, then higher accuracy, then id. */
function isBetter(a: TargetReport, b: TargetReport): boolean {
  const ta = a.scores.technicalSupport!;
  const tb = b.scores.technicalSupport!;
  if (ta !== tb) return ta > tb;
  const aa = a.scores.accuracy ?? -Infinity;
  const ab = b.scores.accuracy ?? -Infinity;
  if (aa !== ab) return aa > ab;
  return a.id < b.id;
}

function regionReports(targets: readonly TargetReport[]): RegionReport[] {
  return REGIONS.flatMap((id) => {
    const members = targets.filter((t) => t.region === id);
    if (members.length === 0) return [];
    let best: TargetReport | null = null;
    for (const t of members) if (t.scores.technicalSupport !== null && (!best || isBetter(t, best))) best = t;
    return [
      {
        id,
        targets: members.map((t) => t.id),
        scores: meanScores(members.map((t) => t.scores)),
        best: best?.id ?? null,
        bestName: best?.name ?? null,
      },
    ];
  });
}

function breakdown(
  run: AccumulatedRun,
  groups: ReadonlyMap<string, TargetGroups>,
  pick: (g: TargetGroups) => Map<string, Float64Array>,
  names: ReadonlyMap<string, string>,
): BreakdownReport[] {
  const ids = new Set<string>();
  for (const g of groups.values()) for (const k of pick(g).keys()) ids.add(k);
  return [...ids].sort().map((id) => {
    const byTarget: Record<string, ScoreSet> = {};
    const counts: CaseCounts[] = [];
    for (const [targetId, g] of groups) {
      const acc = pick(g).get(id);
      if (!acc) continue;
      byTarget[targetId] = scoresOf(acc, 0, run.config);
      counts.push(countsOf(acc));
    }
    return { id, name: names.get(id) ?? null, ...sumCounts(counts), scores: meanScores(Object.values(byTarget)), byTarget };
  });
}

function styleReports(targets: readonly TargetReport[]): StyleReport[] {
  const styles = new Set<string>();
  for (const t of targets) for (const s of t.styles) styles.add(s.style);
  return [...styles].sort(compareStyles).map((style) => {
    const per = targets.flatMap((t) => t.styles.filter((s) => s.style === style));
    const gaps = per.flatMap((s) => (s.gap ? [s.gap] : []));
    return {
      style,
      ...sumCounts(per),
      scores: meanScores(per.map((s) => s.scores)),
      gap: gaps.length > 0 ? meanScores(gaps) : null,
    };
  });
}

/** Turns accumulated sums into the report model. Pure. */
export function buildModel(run: AccumulatedRun, meta: ReportRunMeta, names: ScoreNames, calibration?: CalibrationChoice): ReportModel {
  const groups = new Map<string, TargetGroups>();
  // Routes are shown only where suggestions played a part, so other runs' reports stay as they were.
  const indirect = run.targets.some((t) => t.routes.followed + t.routes.left > 0);
  const targets = run.targets.map((t): TargetReport => {
    const g = group(run, t);
    groups.set(t.target.id, g);
    return { ...targetReport(run, t, g), ...(indirect && { routes: { ...t.routes } }) };
  });

  const ranked = rankTargets(run.config, run.questions, targets.map((t) => ({ report: t, ...groups.get(t.id)! })), calibration);
  for (const t of targets) Object.assign(t, ranked.fields.get(t.id));
  targets.sort(compareTargets);

  const matterNames = new Map((names.matters ?? []).map((m) => [m.id, m.name]));
  const intentNames = new Map((names.intents ?? []).map((i) => [i.id, i.name]));
  const questionIds = new Set<number>();
  for (const g of groups.values()) for (const q of g.questions.keys()) questionIds.add(q);

  return {
    run: meta,
    config: run.config,
    totals: { ...sumCounts(targets), targets: targets.length, questions: questionIds.size },
    targets,
    regions: regionReports(targets),
    matters: breakdown(run, groups, (g) => g.matters, matterNames),
    aspects: breakdown(run, groups, (g) => g.intents, intentNames),
    styles: styleReports(targets),
    intents: intentMetrics(targets.map((t) => t.confusion.matrix)),
    painPoints: run.pains.painPoints(),
    calibration: ranked.note,
  };
}
