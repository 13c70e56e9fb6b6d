/**
 * The matcher's numeric rules; part of the judge version. Tuned on the tuning half of the calibration
 * sets (`scripts/calibrate-matcher.ts --verbose --split tune`; the halves are a fixed hash split); the
 * held-out half is kept above its floors by test/calibration.test.ts.
 */
export interface MatcherThresholds {
  /**
   * Weight of a character bigram relative to a word in intent features; 0 leaves bigrams out. At
   * 0.25–1 they changed a few calibration verdicts and none for the better on the held-out half, so
   * they are off.
   */
  bigramWeight: number;
  /** How many times a matter's name and aliases count in its document. */
  nameWeight: number;
  /** Below this cosine to the nearest matter, the answer gives no evidence about its matter. */
  matterFloor: number;
  /** The asked matter is recognised when its score is at least this share of the best one. */
  matterRatio: number;
  /** Below this aspect score, the answer gives no evidence about its aspect. */
  aspectFloor: number;
  /** The asked aspect is recognised when its score is at least this share of the best aspect's. */
  aspectRatio: number;
  /** Weight of an intent's key-point evidence (0–1) added to its aspect similarity. */
  keyPointWeight: number;
  /** How many key points of one question give full key-point evidence. */
  keyPointSaturation: number;
  /** At most this many content characters: the reply only redirects, apologises or echoes the topic. */
  noContentChars: number;
  /** With no key point: replies with at most this many content characters are `no-answer`, longer ones `incorrect`. */
  vagueContentChars: number;
  /** An out-of-scope reply this close to an in-scope matter reads like an invented answer. */
  inventedFloor: number;
  /** Content characters from which a reply counts as a fluent, long answer. */
  fluentContentChars: number;
  /** Below this confidence the matcher abstains (`uncertain`). */
  abstainBelow: number;
  /** The confidence each kind of rule starts from. */
  confidence: {
    /** A clarifying question where the turn expects one. */
    clarify: number;
    /** A fact error, a contradiction or an outdated rule. */
    error: number;
    /** A key point denied. */
    denial: number;
    /** Error pages, fallbacks, bare redirects. */
    fallback: number;
    /** Little content, key points only guessed or asked. */
    vague: number;
    /** The answer addresses another intent. */
    wrongIntent: number;
    /** Correct or partial by the key points asserted. */
    keyPoints: number;
    /** On topic, no key point. */
    noKeyPoint: number;
  };
  /** How much each doubt lowers a verdict's confidence. */
  doubt: {
    /** Names a neighbouring thing and never the asked matter. */
    neighbour: number;
    /** Key points also found guessed, asked back or suggested. */
    discounted: number;
    /** Key points also said of another loaded matter. */
    otherMatter: number;
    /** A long answer that never names the asked matter, bound to it by one key point. */
    thin: number;
    /** A long answer about the matter that matches no key point. */
    unmatchedFluent: number;
    /** Another aspect reads closer, yet the answer asserts the question's key points. */
    aspectConflict: number;
    /** Most sentences of a long answer hold no key point of the question. */
    unbound: number;
    /** Markdown as large-model assistants write it. */
    styled: number;
  };
  /** When a long answer counts as mostly unbound to the question. */
  unbound: { minSentences: number; maxBoundShare: number };
}

export const MATCHER_THRESHOLDS: Readonly<MatcherThresholds> = Object.freeze({
  bigramWeight: 0,
  nameWeight: 3,
  matterFloor: 0.08,
  matterRatio: 0.75,
  aspectFloor: 0.1,
  aspectRatio: 0.7,
  keyPointWeight: 0.3,
  keyPointSaturation: 2,
  noContentChars: 4,
  vagueContentChars: 12,
  inventedFloor: 0.12,
  fluentContentChars: 40,
  abstainBelow: 0.7,
  confidence: Object.freeze({ clarify: 0.9, error: 0.9, denial: 0.8, fallback: 0.9, vague: 0.75, wrongIntent: 0.75, keyPoints: 0.85, noKeyPoint: 0.7 }),
  doubt: Object.freeze({ neighbour: 0.5, discounted: 0.15, otherMatter: 0.2, thin: 0.2, unmatchedFluent: 0.25, aspectConflict: 0.3, unbound: 0.2, styled: 0.2 }),
  unbound: Object.freeze({ minSentences: 3, maxBoundShare: 0.5 }),
});
