import type { ErrorKind, Turn } from '../domain/types.js';

/** What a case's turns say about the whole case, as every store records it. */
interface CaseOutcome {
  available: boolean;
  /** The first failed turn's kind, else `empty` when a reply is missing or blank. */
  errorKind: ErrorKind | null;
  firstMs: number | null;
  totalMs: number | null;
}

export function caseOutcome(turns: Turn[]): CaseOutcome {
  const available = turns.length > 0 && turns.every((t) => t.ok && t.reply.trim() !== '');
  const failed = turns.find((t) => !t.ok);
  const first = turns[0];
  const last = turns[turns.length - 1];
  return {
    available,
    errorKind: failed?.errorKind ?? (available ? null : 'empty'),
    firstMs: first?.ok ? first.firstMs : null,
    totalMs: last?.ok ? last.totalMs : null,
  };
}

/** Govbench's own failure: a resume asks such a case again, and its new outcome replaces it. */
export const BUG: ErrorKind = 'bug';
