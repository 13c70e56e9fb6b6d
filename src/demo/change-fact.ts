import type { Fact } from '../domain/types.js';
import { matchesPattern } from './drop-key-points.js';
import { formatNumber, numberPatterns, type NumberForm } from './number-forms.js';

/**
 * States a reference fact with a wrong number, in place, so an outdated or invented figure in a
 * transcript reads exactly like the reference except for that number.
 */

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
