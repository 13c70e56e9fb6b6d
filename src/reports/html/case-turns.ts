import type { Case, Store } from '../../domain/types.js';
import { cutRaw, type TurnEvidence } from './evidence.js';

/** What a report shows of one turn. */
export interface TranscriptTurn extends TurnEvidence {
  user: string;
  reply: string;
  ok: boolean;
  error: string | null;
}

type TranscriptReader = (runId: string, key: Pick<Case, 'targetId' | 'questionId' | 'variant' | 'repeat'>) => TranscriptTurn[];

/** Looks up the few transcripts a report shows, by case key, instead of reading every case's turns. */
export function transcriptReader(store: Store): TranscriptReader {
  return (runId, k) =>
    store.turnsOf(runId, k).map((t) => ({
      user: t.user,
      reply: t.reply,
      ok: t.ok,
      error: t.error ?? null,
      raw: cutRaw(t.raw),
      ...(t.at !== undefined && { at: t.at }),
      ...(t.screenshot !== undefined && { screenshot: t.screenshot }),
    }));
}
