/** Chinese-aware text handling shared by every part of govbench. */
export { cleanText, normalize, stripPunctuation, splitSentences, splitClauses, type NormalizeOptions } from './normalize.js';
export { toArabicNumerals, extractQuantities, parseChineseNumber, convertNumerals, type Quantity, type ConvertedText } from './numerals.js';
export { canonicalUnit, normalizeFactValue, type CanonicalUnit } from './units.js';
export { segment, charBigrams } from './segment.js';
export { toSimplified } from './simplify.js';
