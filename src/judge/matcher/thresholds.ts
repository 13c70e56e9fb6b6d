/**
 * The matcher's numeric rules; part of the judge version. Set before the calibration sets existed and
 * checked on them with scripts/calibrate-matcher.ts (a fixed hash split into a tuning and a checking
 * half): agreement is flat across wide ranges of every value, so none sits on an edge of the data.
 */
export interface MatcherThresholds {
  /**
   * Weight of a character bigram relative to a word in intent features; 0 leaves bigrams out. They
   * changed no calibration verdict and cost a third of the judging time, so they are off.
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
});
