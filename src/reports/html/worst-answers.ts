import { isHeadlineStyle, type CaseRecord, type Store, type VerdictLabel } from '../../domain/types.js';
import { transcriptReader, type TranscriptTurn } from './case-turns.js';
import type { TurnEvidence } from './evidence.js';

/** One of a target's worst answers, with its transcript, as the HTML report shows it. */
export interface WorstAnswer {
  targetId: string;
  questionId: string;
  /** 0: the question's own text; n ≥ 1: its n-th variant. */
  variant: number;
  /** @example "colloquial" */
  style: string;
  repeat: number;
  critical: boolean;
  /** The effective verdict, or `failed` for a technical failure (no usable reply). */
  verdict: VerdictLabel | 'failed';
  /** 0–1; null for a technical failure. */
  accuracy: number | null;
  /** The judge's rationale, or the error of a technical failure. */
  rationale: string;
  /** The conversation as it happened; long replies are cut at `MAX_REPLY_CHARS`, raw ones at `MAX_RAW_CHARS`. */
  turns: ({ user: string; reply: string } & TurnEvidence)[];
}

/** Replies longer than this are cut in the HTML report (the CSV report keeps them whole). */
export const MAX_REPLY_CHARS = 4000;

/**
 * Lower is worse. A confidently wrong answer misleads a citizen, so it comes first; then answers that
 * gave nothing; then incomplete ones. Technical failures come last: the failures table already counts
 * them, and they fill a target's list only when it has few bad answers. Correct and unjudged answers
 * are never listed.
 */
const SEVERITY: Readonly<Record<Exclude<WorstAnswer['verdict'], 'correct'>, number>> = { incorrect: 0, 'no-answer': 1, partial: 2, failed: 3 };

interface Candidate {
  record: CaseRecord;
  verdict: WorstAnswer['verdict'];
  accuracy: number | null;
  severity: number;
  seq: number;
}

/** Negative when `a` is worse: severity, then critical first, then lower accuracy, then earlier. */
function compare(a: Candidate, b: Candidate): number {
  return (
    a.severity - b.severity ||
    Number(b.record.critical) - Number(a.record.critical) ||
    (a.accuracy ?? 0) - (b.accuracy ?? 0) ||
    a.seq - b.seq
  );
}

function toCandidate(record: CaseRecord, seq: number): Candidate | null {
  if (!record.available) return { record, verdict: 'failed', accuracy: null, severity: SEVERITY.failed, seq };
  if (record.verdict?.status !== 'judged' || record.verdict.verdict === 'correct') return null;
  const { verdict, accuracy } = record.verdict;
  return { record, verdict, accuracy, severity: SEVERITY[verdict], seq };
}

const cut = (text: string): string => (text.length > MAX_REPLY_CHARS ? `${text.slice(0, MAX_REPLY_CHARS)}…` : text);

function toAnswer(c: Candidate, turns: TranscriptTurn[]): WorstAnswer {
  const { record } = c;
  let rationale: string;
  if (record.verdict?.status === 'judged' && c.verdict !== 'failed') {
    rationale = record.verdict.rationale;
  } else {
    const failed = turns.find((t) => !t.ok);
    rationale = [record.errorKind ?? 'empty', failed?.error].filter(Boolean).join(': ');
  }
  return {
    targetId: record.targetId,
    questionId: record.questionId,
    variant: record.variant,
    style: record.style,
    repeat: record.repeat,
    critical: record.critical,
    verdict: c.verdict,
    accuracy: c.accuracy,
    rationale,
    turns: turns.map((t) => ({
      user: t.user,
      reply: cut(t.reply),
      raw: t.raw,
      ...(t.at !== undefined && { at: t.at }),
      ...(t.screenshot !== undefined && { screenshot: t.screenshot }),
    })),
  };
}

/**
 * Keeps the `size` worst candidates, at most one per question (the worst of its variants and
 * repeats), so a list shows different failings rather than one question asked five ways. Sorted,
 * worst first; `size` is small, so a linear insert beats a heap.
 */
class WorstList {
  readonly items: Candidate[] = [];
  constructor(private readonly size: number) {}

  offer(c: Candidate): void {
    const same = this.items.findIndex((x) => x.record.questionId === c.record.questionId);
    if (same >= 0) {
      if (compare(c, this.items[same]!) >= 0) return;
      this.items.splice(same, 1);
    } else if (this.items.length >= this.size && compare(c, this.items[this.items.length - 1]!) >= 0) {
      return;
    }
    let i = this.items.length;
    while (i > 0 && compare(c, this.items[i - 1]!) < 0) i--;
    this.items.splice(i, 0, c);
    if (this.items.length > this.size) this.items.pop();
  }
}

/**
 * Picks each target's worst answers from a stream of case records, holding only the few it keeps;
 * transcripts are read afterwards for those alone. `tap` lets the pass that scores a run feed it too,
 * so a report reads the run once:
 * @example
 * const worst = new WorstAnswerCollector();
 * const model = scoreRun({ ...input, cases: worst.tap(store.caseRecords(run.id, run.judge)) });
 * const answers = worst.answers(store, run.id);
 */
export class WorstAnswerCollector {
  private readonly lists = new Map<string, WorstList>();
  private seq = 0;

  /** @param perTarget answers kept per target. @default 5 */
  constructor(private readonly perTarget = 5) {
    if (!Number.isInteger(perTarget) || perTarget < 0) throw new TypeError(`perTarget must be a whole number ≥ 0, got ${perTarget}`);
  }

  add(record: CaseRecord): void {
    const c = toCandidate(record, this.seq++);
    // Alias cases, conversations and probes have sections of their own.
    if (!c || this.perTarget === 0 || !isHeadlineStyle(record.style)) return;
    let list = this.lists.get(record.targetId);
    if (!list) this.lists.set(record.targetId, (list = new WorstList(this.perTarget)));
    list.offer(c);
  }

  /** Passes `records` through unchanged, adding each. */
  *tap(records: Iterable<CaseRecord>): IterableIterator<CaseRecord> {
    for (const r of records) {
      this.add(r);
      yield r;
    }
  }

  /** The kept answers with their transcripts, grouped by target in order of first appearance, worst first. */
  answers(store: Store, runId: string): WorstAnswer[] {
    const read = transcriptReader(store);
    return [...this.lists.values()].flatMap((l) => l.items.map((c) => toAnswer(c, read(runId, c.record))));
  }
}

/**
 * The `perTarget` worst answers of each target of a run, worst first, streamed from the store: only
 * the kept answers' records stay in memory, and only their transcripts are read. `judge` picks the
 * verdicts (a reviewer's decision overrides it), as scoring does.
 * @example selectWorstAnswers(store, run.id, run.judge)
 */
export function selectWorstAnswers(store: Store, runId: string, judge: string, perTarget = 5): WorstAnswer[] {
  const collector = new WorstAnswerCollector(perTarget);
  if (perTarget === 0) return [];
  for (const r of store.caseRecords(runId, judge)) collector.add(r);
  return collector.answers(store, runId);
}
