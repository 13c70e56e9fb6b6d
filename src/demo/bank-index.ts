import { aliasPhrasings } from '../banks/alias-phrasings.js';
import { CANONICAL_STYLE, OUT_OF_SCOPE, type BankSet, type Intent, type Matter, type Question } from '../domain/types.js';

/** Which question (and which phrasing, which turn of a script) a user message is. */
interface MessageMatch {
  question: Question;
  /** 0-based turn of a script; 0 for a single question. */
  turn: number;
  /** 0: the canonical text; n ≥ 1: the n-th variant; negative: an alias phrasing (`aliasVariant`). */
  variant: number;
  style: string;
}

export type Resolution =
  | { kind: 'match'; match: MessageMatch; /** The message starts a new conversation topic. */ fresh: boolean }
  /** A later turn of some script, sent without the conversation it belongs to. */
  | { kind: 'lost-context' }
  | { kind: 'unknown' };

/** What the fleet knows of the banks: every text it can recognise, and where to find wrong answers. */
export interface BankIndex {
  banks: BankSet;
  /** Resolves a message given the earlier user messages of its session (oldest first). */
  resolve(message: string, history: readonly string[]): Resolution;
  matter(id: string): Matter | undefined;
  intent(id: string): Intent | undefined;
  /** Single (non-script) questions of real matters, excluding out-of-scope. */
  answerable: readonly Question[];
}

/** Messages are compared after trimming and collapsing whitespace; nothing fuzzier (the fleet is exact). */
export function normalizeMessage(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export function createBankIndex(banks: BankSet): BankIndex {
  const standalone = new Map<string, MessageMatch>();
  const laterTurns = new Set<string>();
  const scripts: Question[] = [];
  const add = (text: string, m: MessageMatch) => {
    const key = normalizeMessage(text);
    // First definition wins, so a text shared by two questions resolves the same way on every run.
    if (!standalone.has(key)) standalone.set(key, m);
  };

  for (const q of banks.questions) {
    if (q.turns) {
      scripts.push(q);
      add(q.turns[0]!.user, { question: q, turn: 0, variant: 0, style: CANONICAL_STYLE });
      q.turns.slice(1).forEach((t) => laterTurns.add(normalizeMessage(t.user)));
      continue;
    }
    add(q.text, { question: q, turn: 0, variant: 0, style: CANONICAL_STYLE });
    q.variants.forEach((v, i) => add(v.text, { question: q, turn: 0, variant: i + 1, style: v.style }));
  }

  const matters = new Map(banks.matters.map((m) => [m.id, m]));
  const intents = new Map(banks.intents.map((i) => [i.id, i]));
  const answerable = banks.questions.filter((q) => !q.turns && q.matterId !== OUT_OF_SCOPE);

  // Alias phrasings (`run --aliases`) are worked out on the first message the bank's own texts do not
  // hold: most runs never send one, and the fleet starts often.
  let aliasTexts: Map<string, MessageMatch> | undefined;
  const aliasText = (text: string): MessageMatch | undefined => {
    if (!aliasTexts) {
      const known = new Map<string, MessageMatch>();
      const of = aliasPhrasings(banks);
      for (const q of answerable) {
        for (const p of of(q)) if (!known.has(normalizeMessage(p.text))) known.set(normalizeMessage(p.text), { question: q, turn: 0, variant: p.variant, style: p.style });
      }
      aliasTexts = known;
    }
    return aliasTexts.get(text);
  };

  const resolve = (message: string, history: readonly string[]): Resolution => {
    const text = normalizeMessage(message);
    if (history.length > 0) {
      const said = history.map(normalizeMessage);
      const script = scripts.find(
        (q) =>
          q.turns!.length > said.length &&
          normalizeMessage(q.turns![said.length]!.user) === text &&
          said.every((h, i) => normalizeMessage(q.turns![i]!.user) === h),
      );
      if (script) {
        return { kind: 'match', fresh: false, match: { question: script, turn: said.length, variant: 0, style: CANONICAL_STYLE } };
      }
    }
    const found = standalone.get(text) ?? aliasText(text);
    if (found) return { kind: 'match', fresh: true, match: found };
    return laterTurns.has(text) ? { kind: 'lost-context' } : { kind: 'unknown' };
  };

  return { banks, resolve, matter: (id) => matters.get(id), intent: (id) => intents.get(id), answerable };
}
