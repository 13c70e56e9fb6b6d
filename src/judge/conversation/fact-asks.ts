/**
 * Which of the citizen's facts a bot reply asks for: its question sentences (a question mark, 吗/呢,
 * or a request such as 请提供…), courtesy questions (还有什么可以帮您？) left out, each clause matched to
 * the fact keys it names — the key itself, a word of the key's synonym group (户口 for 户籍地), else two
 * characters of the key that are not a word every question uses.
 */
import { cleanText, normalize } from '../../text/normalize.js';
import type { ConversationPhrases } from './phrases.js';

/** What a reply asks of the citizen. */
export interface FactAsks {
  /** Fact keys asked for, in the order first asked. */
  keys: string[];
  /** Question sentences that name no fact key (the citizen cannot answer them). */
  unknown: string[];
}

const SENTENCE = /[^。！？!?；;\n]+[。！？!?；;\n]*/g;
const ASKS_END = /[?？]/;
const PARTICLE = /(吗|呢|么)\s*$/;
const CLAUSE_SPLIT = /[，,、：:]+/;

/** The fact keys a reply asks for, and the questions it asks that name none. */
export function factsAskedIn(reply: string, keys: readonly string[], phrases: ConversationPhrases): FactAsks {
  const asked: string[] = [];
  const unknown: string[] = [];
  for (const { sentence, marked } of questionSentences(reply, phrases)) {
    const found = new Set<string>();
    for (const clause of sentence.split(CLAUSE_SPLIT)) {
      const norm = normalize(clause);
      if (norm.length > 0) for (const k of keysNamedIn(norm, keys, phrases)) found.add(k);
    }
    // 请提供…。 without a question mark also opens lists of materials: a question only when it names a key.
    if (found.size === 0 && marked) unknown.push(sentence.replace(/[。！？!?；;\n\s]+$/, ''));
    for (const k of keys) if (found.has(k) && !asked.includes(k)) asked.push(k);
  }
  return { keys: asked, unknown };
}

/**
 * Sentences of the reply that ask the citizen something (not a courtesy question); `marked` when asked
 * with a question mark or particle rather than only a request word.
 */
export function questionSentences(reply: string, phrases: ConversationPhrases): Array<{ sentence: string; marked: boolean }> {
  const clean = cleanText(reply);
  const out: Array<{ sentence: string; marked: boolean }> = [];
  for (const m of clean.matchAll(SENTENCE)) {
    const sentence = m[0].trim();
    const body = sentence.replace(/[。！？!?；;\n\s]+$/, '');
    const norm = normalize(body);
    if (norm.length === 0) continue;
    const marked = ASKS_END.test(sentence) || PARTICLE.test(body);
    if (!marked && !phrases.requestCues.some((c) => norm.includes(c))) continue;
    if (phrases.courtesy.some((c) => norm.includes(c))) continue;
    out.push({ sentence, marked });
  }
  return out;
}

/** The keys a clause names, the best-scored ones only (several when they tie). */
function keysNamedIn(clause: string, keys: readonly string[], phrases: ConversationPhrases): string[] {
  let best = 0;
  let named: string[] = [];
  for (const key of keys) {
    const s = score(clause, normalize(key), phrases);
    if (s > best) {
      best = s;
      named = [key];
    } else if (s === best && s > 0) named.push(key);
  }
  return named;
}

/**
 * 3: the key itself; about 2: words of the key's synonym groups, the more of its groups the clause names
 * the higher (below 3); 1: two characters of the key; 0: nothing.
 */
function score(clause: string, key: string, phrases: ConversationPhrases): number {
  if (key.length === 0) return 0;
  if (clause.includes(key)) return 3;
  let related = 0;
  let named = 0;
  for (const group of phrases.synonyms) {
    if (!group.some((w) => key.includes(w) || w.includes(key))) continue;
    related++;
    if (group.some((w) => clause.includes(w))) named++;
  }
  // Groups of the key the clause does not name count a little against it: 户口 asks for 户籍地 rather than 配偶户籍.
  if (named > 0) return 2 + Math.min(named, 9) / 10 - Math.min(related - named, 9) / 100;
  for (let i = 0; i + 2 <= key.length; i++) {
    const pair = key.slice(i, i + 2);
    if (!phrases.genericWords.has(pair) && clause.includes(pair)) return 1;
  }
  return 0;
}

/** The fact keys the citizen's turns so far have given: the value said (normalised). */
export function factsGiven(userTurns: readonly string[], facts: Readonly<Record<string, string>>): Set<string> {
  const said = userTurns.map((t) => normalize(t));
  const given = new Set<string>();
  for (const [key, value] of Object.entries(facts)) {
    const v = normalize(value);
    if (v.length > 0 && said.some((t) => t.includes(v))) given.add(key);
  }
  return given;
}
