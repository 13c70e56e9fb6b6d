import type { Fact, KeyPoint, Pattern } from '../domain/types.js';
import { parsePattern, type CompiledPattern } from '../util/pattern.js';
import { formatNumber, numberPatterns, type NumberForm } from './number-forms.js';

/**
 * Text surgery on reference answers: the fleet's wrong answers are the bank's right ones with key
 * points cut out or a number changed, so what a persona got wrong is visible in the transcript.
 */

const compiled = new Map<Pattern, CompiledPattern>();

/** The fleet's own, literal reading of a bank pattern (the judges normalise far more). */
export function matchesPattern(text: string, pattern: Pattern): boolean {
  let c = compiled.get(pattern);
  if (!c) compiled.set(pattern, (c = parsePattern(pattern)));
  return c.kind === 'phrase' ? text.toLowerCase().includes(c.phrase.toLowerCase()) : c.regex.test(text);
}

export function keyPointFound(text: string, kp: KeyPoint): boolean {
  return kp.match.some((p) => matchesPattern(text, p));
}

function removePattern(text: string, pattern: Pattern): string {
  const c = parsePattern(pattern);
  if (c.kind === 'regex') return text.replace(new RegExp(c.regex.source, `${c.regex.flags}g`), '');
  const escaped = c.phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(escaped, 'gi'), '');
}

const HARD_END = /[\n。！？!?]/;
const SOFT_END = /[；;：:，、,]+$/;

interface Unit {
  text: string;
  removed: boolean;
}

/** Clauses with their trailing punctuation: list items, sentences, the lead-in before a colon. */
function splitClauses(text: string): Unit[] {
  return (text.match(/[^\n。！？!?；;：:]*[\n。！？!?；;：:]+|[^\n。！？!?；;：:]+$/g) ?? []).map((t) => ({ text: t, removed: false }));
}

/** Items of an enumeration inside one clause (A、B、C or A，B，C), the clause's own end kept last. */
function splitItems(text: string): Unit[] {
  return (text.match(/[^，、,]*[，、,]+|[^，、,]+$/g) ?? []).map((t) => ({ text: t, removed: false }));
}

function hits(text: string, kps: readonly KeyPoint[]): Set<string> {
  return new Set(kps.filter((k) => keyPointFound(text, k)).map((k) => k.id));
}

/**
 * Removes from an answer the clauses (or enumeration items) that carry the dropped key points and no
 * kept one; where a clause carries both, only the dropped phrases go. Returns the shortened text and
 * the key points the result no longer conveys.
 */
export function dropKeyPoints(answer: string, keyPoints: readonly KeyPoint[], drop: ReadonlySet<string>): { text: string; dropped: string[] } {
  const before = hits(answer, keyPoints);
  const dropping = keyPoints.filter((k) => drop.has(k.id) && before.has(k.id));
  if (dropping.length === 0) return { text: answer, dropped: [] };
  const keeping = keyPoints.filter((k) => !drop.has(k.id));
  const isDropped = (t: string) => dropping.some((k) => keyPointFound(t, k));
  const isKept = (t: string) => keeping.some((k) => keyPointFound(t, k));

  const clauses = splitClauses(answer);
  for (const clause of clauses) {
    if (!isDropped(clause.text)) continue;
    if (!isKept(clause.text)) {
      clause.removed = true;
      continue;
    }
    const items = splitItems(clause.text);
    for (const item of items) if (isDropped(item.text) && !isKept(item.text)) item.removed = true;
    clause.text = joinUnits(items, /[；;：:\n。！？!?]+$/);
    for (const k of dropping) if (keyPointFound(clause.text, k)) for (const p of k.match) clause.text = removePattern(clause.text, p);
  }
  dropOrphanLeads(clauses);
  let text = tidy(joinUnits(clauses, HARD_END_TAIL));
  // A phrase that spans clauses survives the cut above; remove it where it stands.
  for (const k of dropping) if (keyPointFound(text, k)) for (const p of k.match) text = tidy(removePattern(text, p));
  const after = hits(text, keyPoints);
  return { text, dropped: [...before].filter((id) => !after.has(id)) };
}

const HARD_END_TAIL = /[\n。！？!?]+$/;

/**
 * Joins kept units. A removed unit leaves its `keepTail` punctuation to the kept unit before it, so
 * 「A；B。」 without B reads 「A。」 rather than 「A；」.
 */
function joinUnits(units: Unit[], keepTail: RegExp): string {
  const out: string[] = [];
  for (const u of units) {
    if (!u.removed) {
      out.push(u.text);
      continue;
    }
    const tail = keepTail.exec(u.text)?.[0];
    if (!tail || out.length === 0) continue;
    const last = out[out.length - 1]!;
    if (HARD_END.test(last.slice(-1))) continue;
    out[out.length - 1] = last.replace(SOFT_END, '') + tail;
  }
  return out.join('');
}

/** A lead-in clause ending in a colon whose whole list was removed goes too. */
function dropOrphanLeads(clauses: Unit[]): void {
  clauses.forEach((c, i) => {
    if (c.removed || !/[：:]$/.test(c.text)) return;
    let j = i + 1;
    let allRemoved = j < clauses.length;
    for (; j < clauses.length; j++) {
      if (!clauses[j]!.removed) {
        allRemoved = false;
        break;
      }
      if (HARD_END.test(clauses[j]!.text)) break;
    }
    if (allRemoved) c.removed = true;
  });
}

/** Collapses punctuation left dangling by removals. */
function tidy(text: string): string {
  return text
    .replace(/([，、,；;：:])[，、,；;：:]+/g, '$1')
    .replace(/[，、,；;：:]+([。！？!?])/g, '$1')
    .replace(/(^|\n)[\s，、,；;：:。]+/g, '$1')
    .replace(/\n{2,}/g, '\n')
    .replace(/[，、,；;：:]+$/, '。')
    .trim();
}

/** Units written interchangeably, as the judges treat them (SPEC §2). */
const UNIT_GROUPS: readonly (readonly string[])[] = [['日', '天'], ['个月', '月'], ['周岁', '岁'], ['工作日']];

function unitForms(unit: string): readonly string[] {
  return UNIT_GROUPS.find((g) => g.includes(unit)) ?? [unit];
}

function sameUnit(a: string, b: string): boolean {
  return unitForms(a).includes(b);
}

/** A plausible wrong value (an older or misremembered figure) that no other fact of the unit has. */
export function wrongValue(fact: Fact, facts: readonly Fact[], u: number): number {
  const taken = new Set(facts.filter((f) => sameUnit(f.unit, fact.unit)).map((f) => f.value));
  const v = fact.value;
  const candidates = (Number.isInteger(v) ? [v * 2, v + 10, v + 5, v * 3, v + 1, v + 15] : [v * 2, v + 1, v * 3]).filter(
    (c) => c > 0 && !taken.has(c),
  );
  if (candidates.length === 0) return v + 1000;
  return candidates[Math.min(candidates.length - 1, Math.floor(u * candidates.length))]!;
}

/** Whether the text states the fact's value (in any written form) anywhere. */
export function statesValue(text: string, fact: Fact): boolean {
  return numberPatterns(fact.value).some((p) => new RegExp(p.source).test(text));
}

export interface FactChange {
  factId: string;
  from: number;
  to: number;
  /** The reference did not state the fact in its answer, so the wrong statement was added. */
  appended: boolean;
}

/**
 * States `fact` with a wrong value: every occurrence of its value followed by its unit (in a sentence
 * holding a context phrase, when the fact has any) is rewritten in the form it was written in (20 →
 * 30, 二十 → 三十). Where the answer does not state it, the fact's own text is added with the change.
 */
export function changeFact(text: string, fact: Fact, facts: readonly Fact[], u: number): { text: string; change: FactChange } {
  const to = wrongValue(fact, facts, u);
  const units = unitForms(fact.unit)
    .map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .sort((a, b) => b.length - a.length)
    .join('|');
  const withUnit = (src: string) => new RegExp(`${src}(?=\\s*个?\\s*(?:${units}))`, 'g');
  const patterns = numberPatterns(fact.value);

  const rewrite = (sentence: string, eligible: (s: string) => boolean): { s: string; n: number } => {
    if (!eligible(sentence)) return { s: sentence, n: 0 };
    let n = 0;
    let s = sentence;
    for (const p of patterns) {
      s = s.replace(withUnit(p.source), () => {
        n++;
        return formatNumber(to, p.form as NumberForm);
      });
    }
    return { s, n };
  };
  const sentences = text.match(/[^\n。！？!?；;]*[\n。！？!?；;]+|[^\n。！？!?；;]+$/g) ?? [text];
  const inContext = (s: string) => fact.context.length === 0 || fact.context.some((c) => matchesPattern(s, c));
  for (const eligible of [inContext, () => true]) {
    const done = sentences.map((s) => rewrite(s, eligible));
    if (done.some((d) => d.n > 0)) {
      return { text: done.map((d) => d.s).join(''), change: { factId: fact.id, from: fact.value, to, appended: false } };
    }
  }
  let stated = fact.text;
  for (const p of patterns) stated = stated.replace(new RegExp(p.source, 'g'), () => formatNumber(to, p.form));
  if (stated === fact.text) stated = `${fact.text}：${to}${fact.unit}`;
  const sep = /[。！？!?]$/.test(text) ? '' : '。';
  return { text: `${text}${sep}${stated}。`, change: { factId: fact.id, from: fact.value, to, appended: true } };
}
