import type { Case, Store } from '../../domain/types.js';

/** What a report shows of one turn. */
export interface TranscriptTurn {
  user: string;
  reply: string;
  ok: boolean;
  error: string | null;
}

type TranscriptReader = (runId: string, key: Pick<Case, 'targetId' | 'questionId' | 'variant' | 'repeat'>) => TranscriptTurn[];

/** Looks up the few transcripts a report shows, by case key, instead of reading every case's turns. */
export function transcriptReader(store: Store): TranscriptReader {
  return (runId, k) => store.turnsOf(runId, k).map((t) => ({ user: t.user, reply: t.reply, ok: t.ok, error: t.error ?? null }));
}
