/**
 * Bank and phrase-list patterns compiled once against the matching form of a text. A phrase is
 * compared in two forms — as written and with numerals converted (二十 / 20) — so either spelling on
 * either side matches; a `/regex/` is tried on both forms too. Phrase lists are searched in one pass.
 */
import { normalize, stripPunctuation } from '../../text/normalize.js';
import { toArabicNumerals } from '../../text/numerals.js';
import { parsePattern } from '../../util/pattern.js';
import { PhraseAutomaton } from './phrase-automaton.js';

/** A text in the two matching forms. */
export interface MatchForms {
  /** `normalize(text)` */
  plain: string;
  /** `normalize(text, { numerals: true })` */
  numeric: string;
}

export interface PatternHit {
  form: keyof MatchForms;
  start: number;
  end: number;
}

/** The matching forms of a text that has already been through `cleanText`. */
export function matchForms(clean: string): MatchForms {
  const plain = stripPunctuation(clean);
  // Most text converts to itself (一般, 统一 are words, not numbers): then the forms are one string.
  const converted = toArabicNumerals(clean);
  return { plain, numeric: converted === clean ? plain : stripPunctuation(converted) };
}

const CONTEXT_SENSITIVE = /\^|\$|\\[bB]|\(\?<?[=!]/;

/**
 * Many patterns searched together: phrases through two automata (plain and numeric spellings), regexes
 * one by one.
 */
export class PatternSet {
  readonly sources: readonly string[];
  private readonly plain: PhraseAutomaton;
  private readonly numeric: PhraseAutomaton;
  /** Automaton phrase id → pattern index. */
  private readonly phraseOwner: number[] = [];
  private readonly regexes: Array<{ index: number; regex: RegExp; global: RegExp }> = [];
  /** Some phrase is spelt differently with numerals converted (二十个工作日 / 20个工作日). */
  private readonly numeralPhrases: boolean;

  constructor(sources: readonly string[]) {
    this.sources = sources;
    const plainPhrases: string[] = [];
    const numericPhrases: string[] = [];
    sources.forEach((source, index) => {
      const parsed = parsePattern(source);
      if (parsed.kind === 'regex') {
        this.regexes.push({ index, regex: parsed.regex, global: new RegExp(parsed.regex.source, `${parsed.regex.flags}g`) });
        return;
      }
      // A phrase of punctuation only would match everywhere once normalised; it matches nothing instead.
      const p = normalize(parsed.phrase);
      if (p.length === 0) return;
      plainPhrases.push(p);
      numericPhrases.push(normalize(parsed.phrase, { numerals: true }));
      this.phraseOwner.push(index);
    });
    this.plain = new PhraseAutomaton(plainPhrases);
    this.numeric = new PhraseAutomaton(numericPhrases);
    this.numeralPhrases = numericPhrases.some((p, i) => p !== plainPhrases[i]);
    this.foundInLongerText = this.regexes.every((r) => !CONTEXT_SENSITIVE.test(r.regex.source));
  }

  /**
   * A pattern found in a text is found in every text that contains it: true unless some regex holds an
   * anchor, a word boundary or a lookaround (a `[^…]` class counts too: the check errs on the safe side).
   */
  readonly foundInLongerText: boolean;

  /** Whether the numeric spelling of the text must be searched too. */
  private numericScan(f: MatchForms): boolean {
    return f.numeric !== f.plain || this.numeralPhrases;
  }

  /** True when any pattern occurs. */
  test(f: MatchForms): boolean {
    if (this.plain.scan(f.plain, () => true)) return true;
    if (this.numericScan(f) && this.numeric.scan(f.numeric, () => true)) return true;
    return this.regexes.some((r) => r.regex.test(f.plain) || (f.numeric !== f.plain && r.regex.test(f.numeric)));
  }

  /** For each pattern, whether it occurs. */
  matches(f: MatchForms): Uint8Array {
    const found = new Uint8Array(this.sources.length);
    const mark = (id: number) => {
      found[this.phraseOwner[id]!] = 1;
    };
    this.plain.scan(f.plain, mark);
    if (this.numericScan(f)) this.numeric.scan(f.numeric, mark);
    this.matchRegexes(f, found, 0);
    return found;
  }

  /** Sets `found[offset + i]` for each regex pattern i that occurs (phrases are left as they are). */
  matchRegexes(f: MatchForms, found: Uint8Array, offset: number): void {
    for (const r of this.regexes) {
      if (r.regex.test(f.plain) || (f.numeric !== f.plain && r.regex.test(f.numeric))) found[offset + r.index] = 1;
    }
  }

  /** Sources of the patterns that occur. */
  which(f: MatchForms): string[] {
    const found = this.matches(f);
    return this.sources.filter((_, i) => found[i] === 1);
  }

  /** Every occurrence of every pattern, in both forms (once when the forms are the same text). */
  hits(f: MatchForms): Array<PatternHit & { index: number }> {
    const out: Array<PatternHit & { index: number }> = [];
    this.plain.scan(f.plain, (id, start, end) => {
      out.push({ index: this.phraseOwner[id]!, form: 'plain', start, end });
    });
    if (this.numericScan(f)) {
      this.numeric.scan(f.numeric, (id, start, end) => {
        out.push({ index: this.phraseOwner[id]!, form: 'numeric', start, end });
      });
    }
    // The same text twice would only repeat its hits.
    const forms = f.numeric === f.plain ? (['plain'] as const) : (['plain', 'numeric'] as const);
    for (const r of this.regexes) {
      for (const form of forms) {
        r.global.lastIndex = 0;
        for (const m of f[form].matchAll(r.global)) {
          if (m[0].length > 0) out.push({ index: r.index, form, start: m.index, end: m.index + m[0].length });
        }
      }
    }
    return out;
  }

  /**
   * Occurrences at positions of the plain form only (what clause spans measure): the numeric
   * spelling is searched too where it is the same text, and its hits reported as plain.
   */
  plainHits(f: MatchForms): Array<PatternHit & { index: number }> {
    const out: Array<PatternHit & { index: number }> = [];
    const push = (id: number, start: number, end: number): void => {
      out.push({ index: this.phraseOwner[id]!, form: 'plain', start, end });
    };
    this.plain.scan(f.plain, push);
    if (f.numeric === f.plain && this.numeralPhrases) this.numeric.scan(f.plain, push);
    for (const r of this.regexes) {
      r.global.lastIndex = 0;
      for (const m of f.plain.matchAll(r.global)) {
        if (m[0].length > 0) out.push({ index: r.index, form: 'plain', start: m.index, end: m.index + m[0].length });
      }
    }
    return out;
  }
}

export function compilePatternSet(sources: readonly string[]): PatternSet {
  return new PatternSet(sources);
}
