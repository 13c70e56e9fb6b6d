import type { Turn } from '../domain/types.js';
import { closestText } from '../judge/matcher/closest-text.js';

/** One turn as it was recorded, and our bug if one ended it. */
export interface Exchanged {
  turn: Turn;
  bug?: unknown;
}

/**
 * Follows a reply made only of suggested questions, as a citizen would: the suggestion closest to
 * what was asked, up to `budget` times while the replies stay lists, never the same one twice.
 * `follow` asks one suggestion and records its turn. Returns the exchange the conversation reached.
 */
export async function followSuggestionsOf(
  first: Exchanged,
  asked: string,
  budget: number,
  follow: (suggestion: string) => Promise<Exchanged>,
): Promise<Exchanged> {
  let at = first;
  const followed = new Set<string>();
  for (let n = 0; n < budget && at.bug === undefined && at.turn.ok && at.turn.suggestionsOnly; n++) {
    const left = (at.turn.suggestions ?? []).filter((s) => !followed.has(s));
    const pick = left[closestText(asked, left)];
    if (pick === undefined) break;
    followed.add(pick);
    at = await follow(pick);
  }
  return at;
}
