/**
 * Calibration (SPEC §4): gold-labelled answers, a judge run over them, and how well the judge agrees
 * with the gold labels — agreement, Cohen's kappa for intent and for verdict, the verdict confusion matrix.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { VERDICTS, type BankSet, type Judge, type JudgedVerdict, type Question, type SourcePos, type Verdict, type VerdictLabel } from '../domain/types.js';
import { InputErrors, UserError, type InputProblem } from '../util/errors.js';
import { displayPath, expandYamlPaths, readYamlFile, validateYaml } from '../util/yaml-file.js';

/** Where the shipped calibration sets live (SPEC §1). */
export const DEFAULT_CALIBRATION_DIR = 'question-banks/calibration';

const goldSchema = z.strictObject({
  intentRecognized: z.boolean(),
  verdict: z.enum(VERDICTS),
});

const itemSchema = z.strictObject({
  question: z.string().min(1, 'expected a question id'),
  variant: z.number().int().min(1, 'expected a 1-based variant number').optional(),
  turn: z.number().int().min(1, 'expected a 1-based turn number').optional(),
  // An empty reply is a legitimate gold item (no-answer); a bare YAML number is its text.
  answer: z.union([z.string(), z.number()]).transform(String),
  gold: goldSchema,
  /** What sort of answer it is (e.g. hard-negative/negated): calibration reports figures per kind. */
  kind: z.string().regex(/^[a-z0-9]+(?:[-/][a-z0-9]+)*$/, 'expected a kind such as hard-negative/negated').optional(),
  note: z.string().optional(),
});

/** A calibration file as written (SPEC §4). */
const calibrationFileSchema = z.strictObject({
  items: z.array(itemSchema).min(1, 'expected at least one item'),
});

type CalibrationFile = z.output<typeof calibrationFileSchema>;

/** The gold labels of one answer. */
interface GoldLabel {
  intentRecognized: boolean;
  verdict: VerdictLabel;
}

/** One gold-labelled answer, resolved against the loaded banks. */
export interface CalibrationItem {
  question: Question;
  /** 0: the question's own text; n ≥ 1: its n-th variant (the file's 1-based `variant`). */
  variant: number;
  /** 0-based user turn the answer replies to (the file's 1-based `turn`; absent: the last). */
  turn: number;
  answer: string;
  gold: GoldLabel;
  kind?: string;
  note?: string;
  pos: SourcePos;
}

/** Calibration files a path names: the file itself, or the YAML files directly inside a folder, sorted. */
function expandCalibrationPaths(paths: readonly string[]): string[] {
  return expandYamlPaths(paths, 'calibration', 'pass --set FILE with gold-labelled answers (SPEC §4)');
}

/**
 * Loads and validates calibration sets against the loaded banks. Unknown question ids and variants or
 * turns out of range are reported with file, line and column, all problems at once.
 */
export function loadCalibrationSets(paths: readonly string[], banks: BankSet): CalibrationItem[] {
  const files = expandCalibrationPaths(paths);
  if (files.length === 0) throw new UserError(`no calibration files (*.yaml) in ${paths.map(displayPath).join(', ')}`);
  const questions = new Map(banks.questions.map((q) => [q.id, q]));
  const problems: InputProblem[] = [];
  const items: CalibrationItem[] = [];
  for (const file of files) {
    const yaml = readYamlFile(file);
    let parsed: CalibrationFile;
    try {
      parsed = validateYaml(yaml, calibrationFileSchema);
    } catch (err) {
      if (err instanceof InputErrors) {
        problems.push(...err.problems);
        continue;
      }
      throw err;
    }
    parsed.items.forEach((raw, i) => {
      const at = (field: string) => ({ pos: yaml.posOf(['items', i, field]), field: `items[${i}].${field}` });
      const question = questions.get(raw.question);
      if (!question) {
        problems.push({ ...at('question'), message: `unknown question "${raw.question}"; expected an id from the loaded banks` });
        return;
      }
      if (raw.variant !== undefined && raw.variant > question.variants.length) {
        problems.push({
          ...at('variant'),
          message: `variant ${raw.variant} is out of range; question "${question.id}" has ${question.variants.length} variant(s)`,
        });
        return;
      }
      const turns = question.turns?.length ?? 1;
      if (raw.turn !== undefined && raw.turn > turns) {
        problems.push({ ...at('turn'), message: `turn ${raw.turn} is out of range; question "${question.id}" has ${turns} user turn(s)` });
        return;
      }
      items.push({
        question,
        variant: raw.variant ?? 0,
        turn: (raw.turn ?? turns) - 1,
        answer: raw.answer,
        gold: raw.gold,
        ...(raw.kind !== undefined ? { kind: raw.kind } : {}),
        ...(raw.note !== undefined ? { note: raw.note } : {}),
        pos: yaml.posOf(['items', i]),
      });
    });
  }
  if (problems.length > 0) throw new InputErrors(problems);
  return items;
}

/**
 * Which half of the calibration sets an item belongs to: rules are written looking at the `tune` half only
 * and measured on the `check` half. A fixed hash of the item, so the halves never drift.
 */
export function calibrationHalf(item: Pick<CalibrationItem, 'question' | 'turn' | 'answer'>): 'tune' | 'check' {
  const h = createHash('sha256').update(`${item.question.id}\n${item.turn}\n${item.answer}`).digest();
  return h[0]! % 2 === 0 ? 'tune' : 'check';
}

/** One item and what the judge said about it. */
export interface CalibrationOutcome {
  item: CalibrationItem;
  verdict: Verdict;
}

/** Runs a judge over the items, in order, one at a time (judges may be rate-limited services). */
export async function runCalibration(judge: Judge, items: readonly CalibrationItem[]): Promise<CalibrationOutcome[]> {
  const outcomes: CalibrationOutcome[] = [];
  for (const item of items) {
    const verdict = await judge.judge({ question: item.question, turn: item.turn, answer: item.answer });
    outcomes.push({ item, verdict });
  }
  return outcomes;
}

/** Label of a verdict the judge could not give. */
const UNJUDGED = 'unjudged';

/** Agreement and kappa of one label. */
interface AgreementStats {
  /** Share of items where the judge agrees with the gold label, 0–1. */
  agreement: number;
  /** Cohen's kappa, ≤ 1. */
  kappa: number;
}

/** What `govbench calibrate --json` prints (SPEC §6), plus the items the judge got wrong. */
export interface CalibrationReport {
  judge: string;
  items: number;
  /** Items the judge left unjudged; they count as disagreements. */
  unjudged: number;
  intent: AgreementStats;
  verdict: AgreementStats & {
    /** gold verdict → predicted verdict (or `unjudged`) → count. */
    confusion: Record<string, Record<string, number>>;
  };
  /** Of the items whose gold verdict fails (incorrect, no-answer), the share judged to pass (correct, partial). */
  falsePass: number;
  /** Of the items whose gold verdict passes, the share judged to fail. */
  falseFail: number;
  /** Share of the items the judge did not abstain on (`uncertain`) and judged at all. */
  coverage: number;
  /** The same figures over the covered items only. */
  covered: { items: number; verdict: AgreementStats; falsePass: number };
  /** `--judge cascade`: how many items the LLM judge was asked about. */
  llmCalls?: number;
  /** Per item `kind` (hard-negative/…, realistic/…): how the judge fared on each sort of answer. */
  kinds: Record<string, { items: number; agreement: number; falsePass: number; coverage: number }>;
  disagreements: CalibrationDisagreement[];
}

interface CalibrationDisagreement {
  question: string;
  variant: number;
  /** 1-based, as in the file. */
  turn: number;
  at: string;
  gold: GoldLabel;
  predicted: { intentRecognized: boolean | null; verdict: string };
  rationale: string;
}

/** Summarises a calibration run; unjudged items count as disagreements under the label `unjudged`. */
export function summarizeCalibration(judgeName: string, outcomes: readonly CalibrationOutcome[]): CalibrationReport {
  const goldVerdicts = outcomes.map((o) => o.item.gold.verdict);
  const predVerdicts = outcomes.map((o) => (o.verdict.status === 'judged' ? o.verdict.verdict : UNJUDGED));
  const goldIntent = outcomes.map((o) => String(o.item.gold.intentRecognized));
  const predIntent = outcomes.map((o) => (o.verdict.status === 'judged' ? String(o.verdict.intentRecognized) : UNJUDGED));
  const labels: string[] = [...VERDICTS];
  if (predVerdicts.includes(UNJUDGED)) labels.push(UNJUDGED);
  const disagreements: CalibrationDisagreement[] = [];
  outcomes.forEach((o, i) => {
    if (goldVerdicts[i] === predVerdicts[i] && goldIntent[i] === predIntent[i]) return;
    const v = o.verdict;
    disagreements.push({
      question: o.item.question.id,
      variant: o.item.variant,
      turn: o.item.turn + 1,
      at: `${o.item.pos.file}:${o.item.pos.line}:${o.item.pos.column}`,
      gold: o.item.gold,
      predicted: { intentRecognized: v.status === 'judged' ? v.intentRecognized : null, verdict: predVerdicts[i]! },
      rationale: v.status === 'judged' ? v.rationale : v.reason,
    });
  });
  const covered = outcomes.filter(isCovered);
  const coveredGold = covered.map((o) => o.item.gold.verdict);
  const coveredPred = covered.map((o) => (o.verdict as JudgedVerdict).verdict);
  const kinds: CalibrationReport['kinds'] = {};
  for (const kind of new Set(outcomes.map((o) => o.item.kind ?? 'unlabelled'))) {
    const of = outcomes.filter((o) => (o.item.kind ?? 'unlabelled') === kind);
    kinds[kind] = {
      items: of.length,
      agreement: of.filter((o) => o.verdict.status === 'judged' && o.verdict.verdict === o.item.gold.verdict).length / of.length,
      falsePass: falsePassRate(of),
      coverage: of.filter(isCovered).length / of.length,
    };
  }
  return {
    judge: judgeName,
    items: outcomes.length,
    unjudged: predVerdicts.filter((p) => p === UNJUDGED).length,
    falsePass: falsePassRate(outcomes),
    falseFail: rateOf(outcomes.filter((o) => PASSING.has(o.item.gold.verdict)), (o) => o.verdict.status === 'judged' && !PASSING.has(o.verdict.verdict)),
    coverage: outcomes.length === 0 ? 0 : covered.length / outcomes.length,
    covered: {
      items: covered.length,
      verdict: { agreement: agreement(coveredGold, coveredPred), kappa: cohensKappa(coveredGold, coveredPred) },
      falsePass: falsePassRate(covered),
    },
    kinds,
    intent: { agreement: agreement(goldIntent, predIntent), kappa: cohensKappa(goldIntent, predIntent) },
    verdict: {
      agreement: agreement(goldVerdicts, predVerdicts),
      kappa: cohensKappa(goldVerdicts, predVerdicts),
      confusion: confusionMatrix(goldVerdicts, predVerdicts, VERDICTS, labels),
    },
    disagreements,
  };
}

const PASSING: ReadonlySet<string> = new Set<VerdictLabel>(['correct', 'partial']);

/** Judged, and not abstained on. */
function isCovered(o: CalibrationOutcome): boolean {
  return o.verdict.status === 'judged' && o.verdict.uncertain === undefined;
}

/** Of the gold failures, the share judged to pass (an abstention counts by its best guess). */
function falsePassRate(outcomes: readonly CalibrationOutcome[]): number {
  return rateOf(outcomes.filter((o) => !PASSING.has(o.item.gold.verdict)), (o) => o.verdict.status === 'judged' && PASSING.has(o.verdict.verdict));
}

function rateOf(outcomes: readonly CalibrationOutcome[], hit: (o: CalibrationOutcome) => boolean): number {
  return outcomes.length === 0 ? 0 : outcomes.filter(hit).length / outcomes.length;
}

/** Share of positions where the two label lists agree; 0 for empty lists. */
export function agreement(gold: readonly string[], predicted: readonly string[]): number {
  assertSameLength(gold, predicted);
  if (gold.length === 0) return 0;
  let same = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) same++;
  return same / gold.length;
}

/**
 * Cohen's kappa: (pₒ − pₑ) / (1 − pₑ), pₑ from each rater's label frequencies. Where chance agreement
 * is certain (both raters use one and the same label throughout) kappa is undefined; this returns 1
 * for perfect agreement and 0 otherwise, so the number stays printable.
 */
export function cohensKappa(gold: readonly string[], predicted: readonly string[]): number {
  assertSameLength(gold, predicted);
  const n = gold.length;
  if (n === 0) return 0;
  const po = agreement(gold, predicted);
  const countGold = new Map<string, number>();
  const countPred = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    countGold.set(gold[i]!, (countGold.get(gold[i]!) ?? 0) + 1);
    countPred.set(predicted[i]!, (countPred.get(predicted[i]!) ?? 0) + 1);
  }
  let pe = 0;
  for (const [label, g] of countGold) pe += (g / n) * ((countPred.get(label) ?? 0) / n);
  if (pe >= 1 - 1e-12) return po === 1 ? 1 : 0;
  return (po - pe) / (1 - pe);
}

/** gold → predicted → count, with a zero for every pair of the given labels. */
export function confusionMatrix(
  gold: readonly string[],
  predicted: readonly string[],
  goldLabels: readonly string[],
  predictedLabels: readonly string[] = goldLabels,
): Record<string, Record<string, number>> {
  assertSameLength(gold, predicted);
  const m: Record<string, Record<string, number>> = {};
  const row = (g: string) => (m[g] ??= Object.fromEntries(predictedLabels.map((p) => [p, 0])));
  for (const g of goldLabels) row(g);
  for (let i = 0; i < gold.length; i++) {
    const r = row(gold[i]!);
    r[predicted[i]!] = (r[predicted[i]!] ?? 0) + 1;
  }
  return m;
}

function assertSameLength(a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) throw new TypeError(`label lists differ in length: ${a.length} gold, ${b.length} predicted`);
}
