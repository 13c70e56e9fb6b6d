import type { CaseRecord, ErrorKind, VerdictLabel } from '../domain/types.js';
import { isHeadlineStyle, isOurFailure, VERDICTS } from '../domain/types.js';
import {
  ACC_WIDTH,
  F_ACCURACY_SUM,
  F_AVAILABLE,
  F_CASES,
  F_CORRECT,
  F_INTENT_HITS,
  F_JUDGED,
  F_RESPONSE_N,
  F_RESPONSE_SUM,
  F_UNJUDGED,
  STYLE_CAP,
  type AccumulatedRun,
  type AccumulatedTarget,
  type QuestionMeta,
} from './outcome-sums.js';
import { AliasTally } from './alias-recognition.js';
import { buildModel } from './build-model.js';
import type { CalibrationChoice } from './corrected.js';
import { resolveScoringConfig, responsivenessFor, type ScoringConfig, type ScoringConfigInput } from './config.js';
import { NO_INTENT, type ReportModel, type ReportRunMeta, type ScoreNames, type ScoreTarget } from './model.js';
import { PainPointSums } from './pain-points.js';
import { FloatList } from './stats.js';

/**
 * Folds finished cases into compact per-target, per-question, per-style sums as they stream from
 * the store, so memory grows with targets × questions × styles (plus 16 bytes per case for exact
 * latency quantiles), not with transcripts. `finish` turns the sums into a `ReportModel`; it does not
 * consume the accumulator, so a live view may call it repeatedly while cases keep arriving.
 */
export class ScoreAccumulator {
  readonly config: ScoringConfig;
  private readonly byTarget = new Map<string, AccumulatedTarget & { used: number }>();
  private readonly questionIndex = new Map<string, number>();
  private readonly questions: QuestionMeta[] = [];
  private readonly styleIndex = new Map<string, number>();
  private readonly styles: string[] = [];
  private readonly aliases = new AliasTally();
  private readonly pains = new PainPointSums();

  constructor(targets: readonly ScoreTarget[], config?: ScoringConfigInput) {
    this.config = resolveScoringConfig(config);
    for (const target of targets) {
      if (this.byTarget.has(target.id)) throw new TypeError(`[govbench] [scoring] duplicate target id "${target.id}"`);
      this.byTarget.set(target.id, {
        target,
        slotOf: new Map(),
        data: new Float64Array(ACC_WIDTH * 16),
        used: 0,
        firstMs: new FloatList(),
        totalMs: new FloatList(),
        errorKinds: {},
        verdicts: Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<VerdictLabel, number>,
        pending: 0,
        outdated: 0,
        routes: { direct: 0, followed: 0, left: 0 },
        confusion: new Map(),
        repeats: new Map(),
      });
    }
  }

  /**
   * Adds one finished case. A case of a target not given to the constructor is a bug upstream and throws.
   * A case that failed on our side (`isOurFailure`: a bug of govbench's) says nothing of the city: it is
   * counted among the target's failure kinds, so reports show it, and in no score — this is the one
   * place scoring leaves it out. Cases of other styles than the bank's phrasings (`isHeadlineStyle`)
   * are scored apart: alias cases only feed the per-name recognition (`AliasTally`).
   */
  add(record: CaseRecord): void {
    const t = this.byTarget.get(record.targetId);
    if (!t) throw new Error(`[govbench] [scoring] case of unknown target "${record.targetId}" (question ${record.questionId})`);
    if (!isHeadlineStyle(record.style)) {
      this.aliases.add(record);
      return;
    }
    if (isOurFailure(record.errorKind)) {
      t.errorKinds[record.errorKind] = (t.errorKinds[record.errorKind] ?? 0) + 1;
      return;
    }
    this.pains.add(record, t.target.region);
    this.trackRepeat(t, record);
    const off = this.slot(t, record) * ACC_WIDTH;
    const d = t.data;
    d[off + F_CASES]! += 1;
    if (!record.available) {
      if (record.errorKind) t.errorKinds[record.errorKind] = (t.errorKinds[record.errorKind] ?? 0) + 1;
      return;
    }
    d[off + F_AVAILABLE]! += 1;
    if (record.route) t.routes[record.route] += 1;
    if (record.firstMs !== null) {
      d[off + F_RESPONSE_N]! += 1;
      d[off + F_RESPONSE_SUM]! += responsivenessFor(record.firstMs, this.config.responsiveness);
      t.firstMs.push(record.firstMs);
    }
    if (record.totalMs !== null) t.totalMs.push(record.totalMs);
    const v = record.verdict;
    if (v === null || v.status !== 'judged') {
      d[off + F_UNJUDGED]! += 1;
      return;
    }
    if (v.uncertain !== undefined) {
      // Counted like an unjudged case (left out of intent and accuracy), and apart, so reports say how many wait.
      d[off + F_UNJUDGED]! += 1;
      t.pending += 1;
      return;
    }
    d[off + F_JUDGED]! += 1;
    if (v.intentRecognized) d[off + F_INTENT_HITS]! += 1;
    d[off + F_ACCURACY_SUM]! += v.accuracy;
    if (v.verdict === 'correct') d[off + F_CORRECT]! += 1;
    t.verdicts[v.verdict] += 1;
    if (v.outdated !== undefined && v.outdated.length > 0) t.outdated += 1;
    // A clarifying question recognizes the intent without naming one; count it on the diagonal.
    const addressed = v.predictedIntent ?? (v.intentRecognized ? record.intent : NO_INTENT);
    let row = t.confusion.get(record.intent);
    if (!row) t.confusion.set(record.intent, (row = new Map()));
    row.set(addressed, (row.get(addressed) ?? 0) + 1);
  }

  /** Adds every case of an iterable. */
  addAll(records: Iterable<CaseRecord>): this {
    for (const r of records) this.add(r);
    return this;
  }

  /** The sums so far, read-only by convention. */
  snapshot(): AccumulatedRun {
    return {
      config: this.config,
      targets: [...this.byTarget.values()],
      questions: this.questions,
      styles: this.styles,
      pains: this.pains,
    };
  }

  /** The report model of the cases added so far. */
  finish(run: ReportRunMeta, names: ScoreNames = {}, calibration?: CalibrationChoice): ReportModel {
    const model = buildModel(this.snapshot(), run, names, calibration);
    for (const t of model.targets) t.aliases = this.aliases.of(t.id);
    return model;
  }

  /** Consistency across `--repeat`: does the same phrasing get the same verdict every time? */
  private trackRepeat(t: AccumulatedTarget, r: CaseRecord): void {
    const verdict = r.verdict?.status === 'judged' ? r.verdict.verdict : null;
    // A reply that never came is a repeat that was not correct: pass^k counts every attempt.
    const correct = r.available && verdict === 'correct' ? 1 : 0;
    const key = `${r.questionId}\u0000${r.variant}`;
    const seen = t.repeats.get(key);
    if (!seen) t.repeats.set(key, { questionId: r.questionId, verdict, agree: true, n: 1, correct });
    else {
      seen.n += 1;
      seen.correct += correct;
      if (seen.verdict !== verdict) seen.agree = false;
    }
  }

  private slot(t: AccumulatedTarget & { used: number }, r: CaseRecord): number {
    let q = this.questionIndex.get(r.questionId);
    if (q === undefined) {
      q = this.questions.length;
      this.questionIndex.set(r.questionId, q);
      this.questions.push({ id: r.questionId, matterId: r.matterId, intent: r.intent });
    }
    let s = this.styleIndex.get(r.style);
    if (s === undefined) {
      s = this.styles.length;
      if (s >= STYLE_CAP) throw new RangeError(`[govbench] [scoring] more than ${STYLE_CAP} distinct variant styles`);
      this.styleIndex.set(r.style, s);
      this.styles.push(r.style);
    }
    const key = q * STYLE_CAP + s;
    let slot = t.slotOf.get(key);
    if (slot === undefined) {
      slot = t.used++;
      t.slotOf.set(key, slot);
      if (t.used * ACC_WIDTH > t.data.length) {
        const next = new Float64Array(t.data.length * 2);
        next.set(t.data);
        t.data = next;
      }
    }
    return slot;
  }
}
