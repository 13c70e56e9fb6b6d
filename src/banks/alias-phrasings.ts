import { ALIAS_STYLE_PREFIX, aliasVariant, OUT_OF_SCOPE, type BankSet, type Matter, type Question } from '../domain/types.js';
import { renamings } from '../text/name-mentions.js';

/** One alias phrasing of a question: its variant index, its style `alias:<name>` and the text asked. */
export interface AliasPhrasing {
  variant: number;
  style: string;
  text: string;
}

/** A matter's names as alias variants count them: the official name first, then its aliases. */
function namesOf(m: Matter): string[] {
  return [m.name, ...m.aliases];
}

/**
 * The alias cases of `run --aliases` (issue 15), which the demo fleet recognises too: each single
 * question whose own text names its matter — by the official name or an alias — is asked again with
 * the matter named by each of its other names, the official one included. The variants are left
 * alone: they are the bank's other phrasings of the same text, and multiplying them by every name
 * would mostly measure the phrasing again. Other matters' names guard theirs: a name of this matter
 * inside a longer name of another is not this matter.
 *
 * Each case's style is `alias:<the name asked>` and its variant `aliasVariant(k)`, both fixed by the
 * banks (which a resume must share), so a resumed run plans the same cases and skips those done.
 */
export function aliasPhrasings(banks: BankSet): (question: Question) => readonly AliasPhrasing[] {
  const matters = banks.matters.filter((m) => m.id !== OUT_OF_SCOPE);
  const byQuestion = new Map<string, AliasPhrasing[]>();
  for (const m of matters) {
    const names = namesOf(m);
    const others = matters.filter((o) => o.id !== m.id).flatMap(namesOf);
    for (const q of banks.questions) {
      if (q.matterId !== m.id || q.turns) continue;
      const added = renamings(q.text, names, others).map((r) => ({ variant: aliasVariant(r.name), style: `${ALIAS_STYLE_PREFIX}${names[r.name]!}`, text: r.text }));
      if (added.length > 0) byQuestion.set(q.id, added);
    }
  }
  return (q) => byQuestion.get(q.id) ?? [];
}
