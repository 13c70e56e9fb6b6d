/**
 * Offline proposals of question variants for a person to accept: colloquial (phrasing rules), terse
 * (content words only) and typo (homophones, as a pinyin input method gets them wrong).
 */
import { pinyin, polyphonic } from 'pinyin-pro';
import type { BankSet, Question } from '../domain/types.js';
import { cleanText, stripPunctuation } from '../text/normalize.js';
import { segment } from '../text/segment.js';
import { hash32, mulberry32 } from '../util/random.js';
import { COLLOQUIAL_PARTICLE, COLLOQUIAL_RULES, FINAL_PARTICLES, TERSE_DROP_WORDS } from './phrasing-rules.js';

/** The styles `bank variants` can propose. */
export const PROPOSED_STYLES = ['colloquial', 'terse', 'typo'] as const;
export type ProposedStyle = (typeof PROPOSED_STYLES)[number];

/** A question long enough to hide two typos gets two; a short one, one. */
const TWO_TYPOS_FROM = 12;
const HAN = /^\p{Script=Han}$/u;

/** One replaced character of a typo variant. */
interface TypoChange {
  /** Index of the character in the question text. */
  index: number;
  from: string;
  to: string;
  /** The reading both share, with its tone number (`zheng4`). */
  pinyin: string;
}

export interface VariantProposal {
  questionId: string;
  style: ProposedStyle;
  text: string;
  /** For typos: which characters were replaced by which. */
  changes?: TypoChange[];
}

/** Characters grouped by reading, ranked by how often they occur: where homophone typos come from. */
interface HomophoneIndex {
  /** Other characters read exactly `reading` (tone included), most frequent first. */
  candidates(reading: string, except: string): string[];
}

/**
 * A homophone index over the characters of the given texts (the loaded banks: the vocabulary of
 * government-service questions and answers). Only characters with a single reading are offered as
 * replacements, so a replacement sounds like the original whatever context it lands in.
 */
export function createHomophoneIndex(texts: Iterable<string>): HomophoneIndex {
  const counts = new Map<string, number>();
  for (const text of texts) for (const ch of text) if (HAN.test(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const byReading = new Map<string, { ch: string; n: number }[]>();
  for (const [ch, n] of counts) {
    const readings = polyphonic(ch, { type: 'array', toneType: 'num' })[0] ?? [];
    if (readings.length !== 1) continue;
    const list = byReading.get(readings[0]!) ?? [];
    list.push({ ch, n });
    byReading.set(readings[0]!, list);
  }
  for (const list of byReading.values()) list.sort((a, b) => b.n - a.n || (a.ch < b.ch ? -1 : 1));
  return {
    candidates: (reading, except) => (byReading.get(reading) ?? []).filter((c) => c.ch !== except).map((c) => c.ch),
  };
}

/** Every text of the banks, for `createHomophoneIndex`. */
export function bankTexts(banks: BankSet): string[] {
  return [
    ...banks.matters.flatMap((m) => [m.name, ...m.aliases]),
    ...banks.intents.map((i) => i.name),
    ...banks.questions.flatMap((q) => [
      q.text,
      ...q.variants.map((v) => v.text),
      ...(q.turns ?? []).map((t) => t.user),
      q.reference.answer,
      ...q.reference.keyPoints.map((k) => k.text),
    ]),
  ];
}

/** The question as people say it: formal phrases rewritten by rule, a final particle. Undefined when no rule applies. */
export function colloquialVariant(text: string): string | undefined {
  const body = text.trim().replace(/[？?。！!\s]+$/u, '');
  let out = body;
  for (const rule of COLLOQUIAL_RULES) out = out.replace(rule.from, rule.to);
  if (out === body || out.length === 0) return undefined;
  return FINAL_PARTICLES.test(out) ? out : out + COLLOQUIAL_PARTICLE;
}

/** The question as typed into a search box: its content words only. Undefined when nothing would be dropped. */
export function terseVariant(text: string): string | undefined {
  const words = segment(cleanText(text));
  const kept = words.filter((w) => !TERSE_DROP_WORDS.has(w));
  if (kept.length === words.length) return undefined;
  const out = kept.reduce((acc, w) => (acc && /[a-z0-9]$/i.test(acc) && /^[a-z0-9]/i.test(w) ? `${acc} ${w}` : acc + w), '');
  return out.length >= 2 ? out : undefined;
}

/**
 * The question with one character (two in a long question) replaced by a more common character of the
 * same reading, inside content words, as a pinyin input method's first choice would. Deterministic for
 * a seed. Undefined when no character has a homophone in the index.
 */
export function typoVariant(text: string, index: HomophoneIndex, seed: number): { text: string; changes: TypoChange[] } | undefined {
  const readings = pinyin(text, { type: 'all', toneType: 'num' });
  // Positions inside content words, found in order so that each word maps to its own place in the text.
  const slots: { index: number; word: number; reading: string; to: string }[] = [];
  let cursor = 0;
  segment(text).forEach((word, w) => {
    const at = text.indexOf(word, cursor);
    if (at < 0) return;
    cursor = at + word.length;
    if (word.length < 2 || TERSE_DROP_WORDS.has(word)) return;
    for (let i = at; i < at + word.length; i++) {
      const r = readings[i];
      if (!r?.isZh || !r.pinyin) continue;
      const to = index.candidates(r.pinyin, text[i]!)[0];
      if (to) slots.push({ index: i, word: w, reading: r.pinyin, to });
    }
  });
  if (slots.length === 0) return undefined;
  const random = mulberry32(seed);
  const wanted = [...text].filter((c) => HAN.test(c)).length >= TWO_TYPOS_FROM ? 2 : 1;
  const chosen: typeof slots = [];
  const pool = [...slots];
  while (chosen.length < wanted && pool.length > 0) {
    const [slot] = pool.splice(Math.floor(random() * pool.length), 1);
    if (slot && !chosen.some((c) => c.word === slot.word)) chosen.push(slot);
  }
  chosen.sort((a, b) => a.index - b.index);
  const chars = [...text];
  // `text` may hold characters outside the BMP; pinyin-pro and indexOf count UTF-16 units, so only
  // replace where the two agree.
  if (chars.length !== text.length) return undefined;
  for (const c of chosen) chars[c.index] = c.to;
  return { text: chars.join(''), changes: chosen.map((c) => ({ index: c.index, from: text[c.index]!, to: c.to, pinyin: c.reading })) };
}

/** Options for `proposeVariants`. */
interface ProposeOptions {
  /** Only these question ids; default: every single-turn question. */
  questions?: readonly string[];
  /** @default PROPOSED_STYLES */
  styles?: readonly ProposedStyle[];
}

/**
 * At most one proposal per question and style, none that repeats the question or one of its variants.
 * Multi-turn scripts have no variants and get none.
 */
export function proposeVariants(banks: BankSet, options: ProposeOptions = {}): VariantProposal[] {
  const styles = options.styles ?? PROPOSED_STYLES;
  const only = options.questions ? new Set(options.questions) : undefined;
  const homophones = styles.includes('typo') ? createHomophoneIndex(bankTexts(banks)) : undefined;
  const out: VariantProposal[] = [];
  for (const q of banks.questions) {
    if (q.turns || (only && !only.has(q.id))) continue;
    const known = new Set([q.text, ...q.variants.map((v) => v.text)].map(variantKey));
    for (const style of styles) {
      const proposal = propose(q, style, homophones);
      if (!proposal || known.has(variantKey(proposal.text))) continue;
      known.add(variantKey(proposal.text));
      out.push(proposal);
    }
  }
  return out;
}

function propose(q: Question, style: ProposedStyle, homophones: HomophoneIndex | undefined): VariantProposal | undefined {
  if (style === 'colloquial') {
    const text = colloquialVariant(q.text);
    return text ? { questionId: q.id, style, text } : undefined;
  }
  if (style === 'terse') {
    const text = terseVariant(q.text);
    return text ? { questionId: q.id, style, text } : undefined;
  }
  const typo = homophones && typoVariant(q.text, homophones, hash32(q.id));
  return typo ? { questionId: q.id, style, text: typo.text, changes: typo.changes } : undefined;
}

/** Two phrasings that differ only in punctuation, spacing or letter case are the same variant. */
export function variantKey(text: string): string {
  return stripPunctuation(cleanText(text));
}
