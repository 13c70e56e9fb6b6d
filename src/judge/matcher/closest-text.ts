import { stripPunctuation } from '../../text/normalize.js';
import { featuresOf } from './intent.js';
import { TfIdfIndex, Vocabulary, type TermBag } from './tfidf.js';

const NONE: ReadonlySet<string> = new Set();

/**
 * A text's features for comparing short questions: its character bigrams, and its runs of Latin
 * letters and digits as words. Neither word segmentation nor the conversion of traditional
 * characters: the runner compares on its main thread, where loading their dictionaries would stall
 * every conversation in flight for a second; a question and the suggestions a portal offers for it
 * are written alike.
 */
function questionFeatures(text: string): TermBag {
  const plain = stripPunctuation(text.normalize('NFKC').toLowerCase());
  return featuresOf(plain.match(/[a-z0-9]+/gi) ?? [], plain, NONE, 1);
}

/**
 * Which of `candidates` reads most like `text`, by the matcher's own measure: the TF-IDF cosine of
 * their features, weighted across the candidates so that what they all share counts for little. The
 * first on a tie, and when nothing is shared; -1 for no candidates.
 */
export function closestText(text: string, candidates: readonly string[]): number {
  if (candidates.length === 0) return -1;
  const vocab = new Vocabulary();
  const docs = new Map<string, TermBag>(candidates.map((c, i) => [String(i), questionFeatures(c)]));
  const scores = new TfIdfIndex(docs, vocab).scores(vocab.query(questionFeatures(text)));
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
  return best;
}
