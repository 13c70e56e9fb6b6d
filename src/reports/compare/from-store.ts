import { caseKey, isHeadlineStyle, type CaseRecord, type Store, type Turn } from '../../domain/types.js';
import { compareRuns } from '../../scoring/compare/compare-runs.js';
import { compareConversations } from '../../scoring/compare/conversations.js';
import { withSafetyComparison } from '../../scoring/compare/safety-compare.js';
import type { CompareOptions, CompareSide, ComparedAnswer, ComparedPair, Comparison } from '../../scoring/compare/comparison.js';
import { judgeOfRecord } from '../../judge/modes.js';
import { runMeta } from '../from-store.js';
import { UserError } from '../../util/errors.js';

/**
 * Which run (and optionally which target of it) is one side of a comparison.
 * @example { run: 'r20250101-120000-ab12', target: 'sim-province-v1' }
 */
export interface CompareSelector {
  /** A run id, or `latest`. */
  run: string;
  /** One target of the run; give one on both sides or on neither. */
  target?: string;
  /** Where this run is stored, when not in the store the comparison is called with. */
  store?: Store;
}

/**
 * Reads `RUN` or `RUN:TARGET` (run ids never hold a colon).
 * @example parseCompareSelector('latest:sim-province-v2') // { run: 'latest', target: 'sim-province-v2' }
 */
export function parseCompareSelector(text: string): CompareSelector {
  const i = text.indexOf(':');
  const run = i === -1 ? text : text.slice(0, i);
  const target = i === -1 ? undefined : text.slice(i + 1);
  if (run === '' || target === '') {
    throw new UserError(`[govbench] [compare] "${text}": expected RUN or RUN:TARGET`, 'e.g. latest:sim-province-v2');
  }
  return target === undefined ? { run } : { run, target };
}

function side(store: Store, run: string): { side: CompareSide; runId: string } {
  const row = store.getRun(run);
  return {
    runId: row.id,
    side: {
      run: runMeta(row),
      targets: store.runTargets(row.id).map((t) => ({ id: t.id, name: t.name, role: t.role })),
      cases: headline(store.caseRecords(row.id, judgeOfRecord(row.judge))),
    },
  };
}

/**
 * Compares two stored runs, or two targets (of one run or of two), and attaches the transcripts the
 * reports show: both replies of every regressed pair and the text of every compared question.
 * Cases and transcripts are streamed; only regressed pairs' replies are kept.
 * @example compareFromStore(store, 'r1', 'latest', { alpha: 0.01 })
 * @example compareFromStore(store, { run: 'r1', target: 'v1' }, { run: 'r1', target: 'v2' })
 */
export function compareFromStore(
  store: Store,
  baseline: CompareSelector | string,
  candidate: CompareSelector | string,
  options: Omit<CompareOptions, 'targets'> = {},
): Comparison {
  const b = typeof baseline === 'string' ? { run: baseline } : baseline;
  const c = typeof candidate === 'string' ? { run: candidate } : candidate;
  if ((b.target === undefined) !== (c.target === undefined)) {
    throw new UserError('[govbench] [compare] name a target on both sides or on neither', 'e.g. RUN:sim-province-v1 RUN:sim-province-v2');
  }
  const stores = { baseline: b.store ?? store, candidate: c.store ?? store };
  const base = side(stores.baseline, b.run);
  const cand = side(stores.candidate, c.run);
  const comparison = compareRuns(base.side, cand.side, {
    ...options,
    ...(b.target !== undefined && c.target !== undefined && { targets: { baseline: b.target, candidate: c.target } }),
  });
  comparison.conversations = compareConversations(comparison.units, stores.baseline.conversations(base.runId), stores.candidate.conversations(cand.runId));
  const withTexts = attachTranscripts(comparison, { store: stores.baseline, runId: base.runId }, { store: stores.candidate, runId: cand.runId });
  return withSafetyComparison(withTexts, stores.baseline.safetyRecords(base.runId), stores.candidate.safetyRecords(cand.runId));
}

/** Probes, scenarios and alias cases are compared apart (safety, conversations) or not at all: only the banks' phrasings pair. */
function* headline(records: Iterable<CaseRecord>): Generator<CaseRecord> {
  for (const r of records) if (isHeadlineStyle(r.style)) yield r;
}

/**
 * Compares two targets of one run, e.g. two releases of a province assistant asked side by side.
 * @example compareTargetsInRun(store, 'latest', 'sim-province-v1', 'sim-province-v2')
 */
export function compareTargetsInRun(
  store: Store,
  runId: string,
  baselineTargetId: string,
  candidateTargetId: string,
  options: Omit<CompareOptions, 'targets'> = {},
): Comparison {
  return compareFromStore(store, { run: runId, target: baselineTargetId }, { run: runId, target: candidateTargetId }, options);
}

/** A transcript as one side of a side-by-side view. */
export function answerOf(turns: readonly Turn[]): ComparedAnswer {
  const failed = turns.find((t) => !t.ok);
  const empty = turns.find((t) => t.ok && t.reply.trim() === '');
  const error = failed
    ? `${failed.errorKind ?? 'error'}${failed.error ? `: ${failed.error}` : ''}`
    : turns.length === 0
      ? 'no turns recorded'
      : empty
        ? 'empty: the reply had no text'
        : null;
  const text = turns.length === 1 ? turns[0]!.reply : turns.map((t) => `[${t.index + 1}] ${t.user} → ${t.reply}`).join('\n');
  return { text, error };
}

interface RunRef {
  store: Store;
  runId: string;
}

type Side = 'baseline' | 'candidate';

/** What one pass over a run's transcripts looks for. */
interface Pass {
  ref: RunRef;
  /** caseKey → the regressed pairs needing that case's replies, and on which side. */
  cases: Map<string, { pair: ComparedPair; side: Side }[]>;
  /** Targets whose cases tell what was asked. */
  textTargets: Set<string>;
}

const textKey = (questionId: string, variant: number): string => `${questionId}\u0000${variant}`;

/**
 * Reads the transcripts a comparison shows — both replies of every regressed pair, and what was asked
 * in every compared question and changed pair — in one streamed pass per run (one in all when both
 * sides are the same run), stopping once everything wanted was found.
 */
function attachTranscripts(comparison: Comparison, baseline: RunRef, candidate: RunRef): Comparison {
  const regressedPairs = comparison.regressedPairs.map((p) => ({ ...p }));
  const fixedPairs = comparison.fixedPairs.map((p) => ({ ...p }));
  const wantedTexts = new Set<string>(comparison.questions.map((q) => textKey(q.questionId, 0)));
  for (const p of [...regressedPairs, ...fixedPairs]) wantedTexts.add(textKey(p.questionId, p.variant));
  const questionIds = new Set(comparison.questions.map((q) => q.questionId));

  const sameRun = baseline.store === candidate.store && baseline.runId === candidate.runId;
  const passes: Pass[] = sameRun ? [newPass(candidate)] : [newPass(candidate), newPass(baseline)];
  const passOf = (s: Side): Pass => (s === 'candidate' || sameRun ? passes[0]! : passes[1]!);
  for (const s of ['candidate', 'baseline'] as const) {
    const pass = passOf(s);
    for (const u of comparison.units) pass.textTargets.add(s === 'baseline' ? u.baselineTarget : u.candidateTarget);
    for (const pair of regressedPairs) {
      const targetId = s === 'baseline' ? pair.baselineTarget : pair.candidateTarget;
      const key = caseKey({ targetId, questionId: pair.questionId, variant: pair.variant, repeat: pair.repeat });
      const list = pass.cases.get(key);
      if (list) list.push({ pair, side: s });
      else pass.cases.set(key, [{ pair, side: s }]);
    }
  }

  const texts = new Map<string, string>();
  const anyText = new Map<string, string>();
  for (const pass of passes) {
    for (const sc of pass.ref.store.storedCases(pass.ref.runId)) {
      const user = sc.turns[0]?.user;
      if (user !== undefined && pass.textTargets.has(sc.targetId) && questionIds.has(sc.questionId)) {
        const tk = textKey(sc.questionId, sc.variant);
        if (wantedTexts.has(tk) && !texts.has(tk)) texts.set(tk, user);
        if (!anyText.has(sc.questionId)) anyText.set(sc.questionId, user);
      }
      const key = caseKey(sc);
      const hits = pass.cases.get(key);
      if (hits) {
        const answer = answerOf(sc.turns);
        for (const h of hits) h.pair[h.side === 'baseline' ? 'baselineAnswer' : 'candidateAnswer'] = answer;
        pass.cases.delete(key);
      }
      if (pass.cases.size === 0 && texts.size === wantedTexts.size) break;
    }
  }
  const canonical = (questionId: string): string | null => texts.get(textKey(questionId, 0)) ?? anyText.get(questionId) ?? null;
  for (const p of [...regressedPairs, ...fixedPairs]) p.asked = texts.get(textKey(p.questionId, p.variant)) ?? canonical(p.questionId);
  return {
    ...comparison,
    questions: comparison.questions.map((q) => ({ ...q, asked: canonical(q.questionId) })),
    regressedPairs,
    fixedPairs,
  };
}

function newPass(ref: RunRef): Pass {
  return { ref, cases: new Map(), textTargets: new Set() };
}
