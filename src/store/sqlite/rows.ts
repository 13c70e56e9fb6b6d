import type { ErrorKind, FailureKind, JudgeMode, ReplyLink, RunEnvironment, RunRow, RunStatus, StoredCase, Turn, Verdict, VerdictLabel } from '../../domain/types.js';

/** How stored rows become domain values; the store's queries select the columns these expect. */

export function toStoredCase(r: Record<string, unknown>, turns: Turn[]): StoredCase {
  return {
    id: (r.case_id ?? r.id) as number,
    targetId: r.target_id as string,
    questionId: r.question_id as string,
    variant: r.variant as number,
    style: r.style as string,
    repeat: r.repeat as number,
    turns,
  };
}

export function toRunRow(r: Record<string, unknown>): RunRow {
  return {
    id: r.id as string,
    label: (r.label as string | null) ?? null,
    banksHash: r.banks_hash as string,
    judge: r.judge as JudgeMode,
    options: JSON.parse(r.options as string) as Record<string, unknown>,
    startedAt: r.started_at as string,
    finishedAt: (r.finished_at as string | null) ?? null,
    status: r.status as RunStatus,
    environment: r.environment == null ? null : (JSON.parse(r.environment as string) as RunEnvironment),
  };
}

export function toTurn(r: Record<string, unknown>): Turn {
  return {
    index: r.idx as number,
    user: r.user as string,
    reply: r.reply as string,
    raw: r.raw as string,
    ok: r.ok === 1,
    ...(r.error_kind != null && { errorKind: r.error_kind as ErrorKind }),
    ...(r.error != null && { error: r.error as string }),
    ...(r.http_status != null && { httpStatus: r.http_status as number }),
    firstMs: r.first_ms as number,
    totalMs: r.total_ms as number,
    attempts: r.attempts as number,
    ...(r.prompt_tokens != null && {
      usage: { promptTokens: r.prompt_tokens as number, completionTokens: (r.completion_tokens as number | null) ?? 0 },
    }),
    ...(r.screenshot != null && { screenshot: r.screenshot as string }),
    ...(r.suggestions != null && { suggestions: JSON.parse(r.suggestions as string) as string[] }),
    ...(r.suggestions_only === 1 && { suggestionsOnly: true }),
    ...(r.links != null && { links: JSON.parse(r.links as string) as ReplyLink[] }),
    ...(r.followed === 1 && { followed: true }),
    ...(r.sent_at != null && { at: r.sent_at as string }),
  };
}

/** The columns `verdictFromRow` reads, in its order, of the verdicts table under the given alias. */
export function verdictColumns(alias: string): string {
  return VERDICT_COLUMNS.map((c) => `${alias}.${c}`).join(', ');
}

const VERDICT_COLUMNS = [
  'judge', 'turn', 'status', 'intent_recognized', 'predicted_intent', 'verdict', 'accuracy', 'key_points_hit', 'fact_errors',
  'contradictions', 'rationale', 'reason', 'confidence', 'uncertain', 'outdated', 'failure',
];
export const VERDICT_COLUMN_COUNT = VERDICT_COLUMNS.length;

/** A verdict from raw row columns starting at `at`, in the order of `verdictColumns`. */
export function verdictFromRow(r: unknown[], at: number): Verdict {
  const [judge, turn, status, intentRecognized, predictedIntent, verdict, accuracy, hits, facts, contradictions, rationale, reason, confidence, uncertain, outdated, failure] =
    r.slice(at);
  if (status === 'unjudged') return { status: 'unjudged', judge: judge as string, turn: turn as number, reason: (reason as string) ?? '' };
  return {
    status: 'judged',
    judge: judge as string,
    turn: turn as number,
    intentRecognized: intentRecognized === 1,
    predictedIntent: (predictedIntent as string | null) ?? null,
    verdict: verdict as VerdictLabel,
    accuracy: accuracy as number,
    keyPointsHit: parseList(hits),
    factErrors: parseList(facts),
    contradictions: parseList(contradictions),
    ...(outdated != null && { outdated: parseList(outdated) }),
    ...(confidence != null && { confidence: confidence as number }),
    ...(uncertain != null && { uncertain: uncertain as string }),
    ...(failure != null && { failure: failure as FailureKind }),
    rationale: (rationale as string) ?? '',
  };
}

/** Most verdicts have no fact errors or contradictions: skip the parser for the empty list. */
function parseList(json: unknown): string[] {
  return json == null || json === '[]' ? [] : (JSON.parse(json as string) as string[]);
}
