/**
 * Turns a model's validated reply into a verdict. The model supplies evidence and its reading of the
 * rubric; code keeps only ids the reference has, computes accuracy by the SPEC formula, and applies the
 * rubric's mechanical rules to that evidence, saying in the rationale wherever they overrule the model.
 */
import type { Question, SupersededRule, VerdictLabel } from '../../domain/types.js';
import { keyPointAccuracy, type VerdictFields } from '../rubric.js';
import { contradictionId, judgedTurn, outdatedId } from './prompt.js';
import { NO_INTENT, type JudgeOutput } from './schema.js';

/** Longest model reasoning kept in a rationale. */
const MAX_REASONING = 600;

/** `outdated`: the superseded rules shown to the model (ids o1, o2, … among the contradictions). */
export function settleVerdict(out: JudgeOutput, q: Question, turn: number, outdated: readonly SupersededRule[] = []): VerdictFields {
  const ref = q.reference;
  const notes: string[] = [];
  const keep = (found: readonly string[], allowed: readonly string[], what: string): string[] => {
    const ok = new Set(allowed);
    const uniq = [...new Set(found)];
    const dropped = uniq.filter((id) => !ok.has(id));
    if (dropped.length > 0) notes.push(`ignored ${what} ids not in the reference: ${dropped.join(', ')}`);
    return uniq.filter((id) => ok.has(id));
  };
  const hits = keep(out.keyPointsFound, ref.keyPoints.map((k) => k.id), 'key point');
  const factErrors = keep(out.factErrors, ref.facts.map((f) => f.id), 'fact');
  const contradictionIds = ref.contradictions.map((_, i) => contradictionId(i));
  const outdatedIds = outdated.map((_, i) => outdatedId(i));
  const found = keep(out.contradictionsFound, [...contradictionIds, ...outdatedIds], 'contradiction');
  const contradictions = found.filter((id) => contradictionIds.includes(id)).map((id) => ref.contradictions[contradictionIds.indexOf(id)]!);
  const repeated = found.filter((id) => outdatedIds.includes(id)).map((id) => outdated[outdatedIds.indexOf(id)]!.id);

  const asked = q.intent;
  const predicted = out.predictedIntent === NO_INTENT ? null : out.predictedIntent;
  if (out.intentRecognized && predicted !== asked && out.verdict !== 'no-answer') {
    notes.push(`the model named ${predicted ?? NO_INTENT} as the addressed intent while judging the asked one recognised`);
  }
  const need = Math.max(0, ref.minKeyPoints);
  const expectsClarify = q.turns?.[judgedTurn(q, turn)]?.expect === 'clarify';
  const hasError = factErrors.length > 0 || contradictions.length > 0 || repeated.length > 0;

  let decided: [VerdictLabel, boolean, string | null, number];
  if (out.verdict === 'no-answer') decided = ['no-answer', false, null, 0];
  else if (hasError) decided = ['incorrect', out.intentRecognized, out.intentRecognized ? asked : predicted, 0];
  else if (!out.intentRecognized) decided = ['incorrect', false, predicted, 0];
  else if (expectsClarify && out.clarifyingQuestion) decided = ['correct', true, asked, 1];
  else if (out.verdict === 'incorrect') decided = ['incorrect', true, asked, 0];
  else if (out.clarifyingQuestion && hits.length === 0) decided = ['no-answer', false, null, 0];
  else if (hits.length >= need) decided = ['correct', true, asked, keyPointAccuracy(hits.length, need)];
  else if (hits.length > 0) decided = ['partial', true, asked, keyPointAccuracy(hits.length, need)];
  else decided = ['incorrect', true, asked, 0];

  const [verdict, intentRecognized, predictedIntent, accuracy] = decided;
  if (verdict !== out.verdict) notes.push(`the model said ${out.verdict}; the rubric gives ${verdict} from its evidence`);
  return {
    intentRecognized,
    predictedIntent,
    verdict,
    accuracy,
    keyPointsHit: hits,
    factErrors,
    contradictions,
    ...(verdict === 'incorrect' && repeated.length > 0 && { outdated: repeated }),
    rationale: rationale(verdict, out.reasoning, notes),
  };
}

function rationale(verdict: VerdictLabel, reasoning: string, notes: string[]): string {
  const r = reasoning.trim().replace(/\s+/g, ' ');
  const short = r.length > MAX_REASONING ? `${r.slice(0, MAX_REASONING)}…` : r;
  return [`${verdict}: ${short}`, ...notes.map((n) => `(${n})`)].join(' ');
}
