import type { CaseRecord, ErrorKind, ReplyRoute, SaveCaseOptions, Turn } from '../domain/types.js';

/** What a case's turns say about the whole case, as every store records it. */
interface CaseOutcome {
  available: boolean;
  /** The first failed turn's kind, else `empty` when a reply is missing or blank. */
  errorKind: ErrorKind | null;
  firstMs: number | null;
  totalMs: number | null;
  route?: ReplyRoute;
}

function caseOutcome(turns: Turn[]): CaseOutcome {
  const available = turns.length > 0 && turns.every((t) => t.ok && t.reply.trim() !== '');
  const failed = turns.find((t) => !t.ok);
  const first = turns[0];
  const last = turns[turns.length - 1];
  return {
    available,
    errorKind: failed?.errorKind ?? (available ? null : 'empty'),
    firstMs: first?.ok ? first.firstMs : null,
    totalMs: last?.ok ? last.totalMs : null,
    ...(available && { route: routeOf(turns) }),
  };
}

function routeOf(turns: Turn[]): ReplyRoute {
  if (turns[turns.length - 1]?.suggestionsOnly) return 'left';
  return turns.some((t) => t.followed) ? 'followed' : 'direct';
}

/** A saved case as every store records it: what was asked, and what its turns say about it. */
export function caseRecordOf(o: SaveCaseOptions): Omit<CaseRecord, 'verdict' | 'failure'> {
  return {
    targetId: o.case.targetId,
    questionId: o.case.questionId,
    matterId: o.question.matterId,
    aspectId: o.question.aspectId,
    intent: o.question.intent,
    variant: o.case.variant,
    style: o.case.style,
    repeat: o.case.repeat,
    critical: o.question.critical,
    ...caseOutcome(o.turns),
  };
}

/** Govbench's own failure: a resume asks such a case again, and its new outcome replaces it. */
export const BUG: ErrorKind = 'bug';
