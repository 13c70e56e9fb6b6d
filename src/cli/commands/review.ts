import { VERDICTS, type ReviewItem, type VerdictLabel } from '../../domain/types.js';
import { recordReview, type ReviewDecision } from '../../judge/review-decision.js';
import { DEFAULT_DB, openStore } from '../../store/index.js';
import { oneLine } from '../../text/sanitize.js';
import { UserError } from '../../util/errors.js';

interface ReviewCommandOptions {
  db?: string;
  case?: number;
  turn?: number;
  accept?: 'matcher' | 'llm';
  verdict?: VerdictLabel;
  intent?: 'yes' | 'no';
  accuracy?: number;
  note?: string;
  reviewer?: string;
  json?: boolean;
}

/**
 * `govbench review RUN`: lists the turns waiting for a reviewer (the matcher and the LLM judged them
 * differently, or the judge of record was unsure); with `--case` records a reviewer's decision, which
 * overrides the judges in every report from then on.
 */
export function reviewCommand(run: string, opts: ReviewCommandOptions, out: (s: string) => void = (s) => process.stdout.write(s)): void {
  const store = openStore(opts.db ?? DEFAULT_DB, { existing: true });
  try {
    const row = store.getRun(run);
    const queue = store.reviewQueue(row.id);
    if (opts.case === undefined) {
      if (opts.json) out(`${JSON.stringify(queue, null, 2)}\n`);
      else out(renderQueue(row.id, queue));
      return;
    }
    const item = queue.find((q) => q.caseId === opts.case && (opts.turn === undefined || q.turn === opts.turn - 1));
    if (!item) {
      throw new UserError(`run ${row.id}: case ${opts.case}${opts.turn ? ` turn ${opts.turn}` : ''} is not in the review queue`, `list the queue with: govbench review ${row.id}`);
    }
    const verdict = recordReview(store, item, decisionOf(opts), opts.reviewer ?? '');
    out(`recorded: case ${item.caseId} turn ${item.turn + 1} is ${verdict.verdict} (${verdict.intentRecognized ? 'intent recognized' : 'intent not recognized'}); ${queue.length - 1} left in the queue\n`);
  } finally {
    store.close();
  }
}

function decisionOf(opts: ReviewCommandOptions): ReviewDecision {
  const note = opts.note !== undefined ? { note: opts.note } : {};
  if (opts.accept && opts.verdict) throw new UserError('give either --accept or --verdict, not both');
  if (opts.accept) return { accept: opts.accept, ...note };
  if (!opts.verdict) throw new UserError('a decision needs --accept matcher|llm, or --verdict with --intent yes|no');
  if (!VERDICTS.includes(opts.verdict)) throw new UserError(`--verdict: expected one of ${VERDICTS.join(', ')}`);
  if (opts.verdict !== 'no-answer' && !opts.intent) throw new UserError('--verdict needs --intent yes|no (was the asked intent recognized?)');
  return {
    verdict: opts.verdict,
    intentRecognized: opts.intent === 'yes',
    ...(opts.accuracy !== undefined && { accuracy: opts.accuracy }),
    ...note,
  };
}

function renderQueue(runId: string, queue: ReviewItem[]): string {
  if (queue.length === 0) return `run ${runId}: nothing to review (the judges are sure and agree, or every case is decided)\n`;
  const lines = [`run ${runId}: ${queue.length} to review`, ''];
  for (const q of queue) {
    const show = (s: string) => oneLine(s).slice(0, 200);
    lines.push(
      `case ${q.caseId} turn ${q.turn + 1} · ${q.targetId} · ${q.questionId} (${q.style})`,
      `  asked:   ${show(q.user)}`,
      `  answer:  ${show(q.reply)}`,
      `  ${`${q.matcher.judge}:`.padEnd(8)} ${q.matcher.verdict}, intent ${q.matcher.intentRecognized ? 'yes' : 'no'} — ${show(q.matcher.rationale)}`,
      ...(q.llm ? [`  llm:     ${q.llm.verdict}, intent ${q.llm.intentRecognized ? 'yes' : 'no'} — ${show(q.llm.rationale)}`] : []),
      ...(q.uncertain ? [`  unsure:  ${show(q.uncertain)}`] : []),
      '',
    );
  }
  lines.push(`decide with: govbench review ${runId} --case N [--turn T] --accept matcher|llm   (or --verdict V --intent yes|no)`);
  return `${lines.join('\n')}\n`;
}
