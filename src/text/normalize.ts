/**
 * Text normalisation shared by every part: answers come as HTML, Markdown, full-width forms and
 * terminal noise; references as clean prose. Both go through the same steps before they are compared.
 */
import { toArabicNumerals } from './numerals.js';
import { toSimplified } from './simplify.js';

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", ldquo: '“', rdquo: '”', lsquo: '‘',
  rsquo: '’', middot: '·', hellip: '…', mdash: '—', ndash: '–', times: '×', yen: '¥', emsp: ' ', ensp: ' ',
};

const SCRIPT_OR_STYLE = /<(script|style|noscript|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const BLOCK_TAG = /<\/?(?:br|p|div|li|ul|ol|tr|table|h[1-6]|section|article|blockquote|pre|hr)\b[^>]*>/gi;
const ANY_TAG = /<\/?[a-z][^>]*>|<!--[\s\S]*?-->/gi;
const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi;
// CSI / OSC escape sequences and other C0/C1 controls a reply may carry into a terminal.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*(?:\u0007|\u009c)/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g;

/** Characters that end a sentence. */
export const SENTENCE_END = /[。！？!?；;\n]+/;
/** Characters that end a clause (a sentence end, or a comma). */
export const CLAUSE_END = /[。！？!?；;\n，,]+/;

/**
 * Readable plain text: scripts and tags removed (block tags become line breaks, inline tags a space),
 * entities decoded, terminal escapes dropped, NFKC (full-width → half-width), traditional characters
 * simplified (opencc-js), latin lower-cased, spaces collapsed.
 * Punctuation and line breaks stay, so sentences can still be split.
 */
export function cleanText(raw: string): string {
  let t = raw.replace(SCRIPT_OR_STYLE, ' ').replace(BLOCK_TAG, '\n').replace(ANY_TAG, ' ');
  t = t.replace(ENTITY, decodeEntity).replace(ANSI, '').replace(CONTROL, '');
  t = toSimplified(t.normalize('NFKC')).toLowerCase();
  return t
    .replace(/[ \t\u3000]+/g, ' ')
    .replace(/ *\n[\n ]*/g, '\n')
    .trim();
}

function decodeEntity(whole: string, body: string): string {
  if (body[0] === '#') {
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  }
  return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
}

/** Options for `normalize`. */
export interface NormalizeOptions {
  /**
   * Convert Chinese numerals to Arabic (二十个工作日 → 20个工作日).
   * @default false
   */
  numerals?: boolean;
}

/**
 * The matching form of a text: `cleanText`, then (optionally) numerals to Arabic, then every character
 * that is not a letter, a digit or % removed (a decimal point between digits stays).
 * @example normalize('<p>请携带：身份证、营业执照！</p>') === '请携带身份证营业执照'
 */
export function normalize(text: string, options: NormalizeOptions = {}): string {
  const clean = cleanText(text);
  return stripPunctuation(options.numerals ? toArabicNumerals(clean) : clean);
}

/** Removes punctuation and whitespace from already-clean text. */
export function stripPunctuation(clean: string): string {
  return clean.replace(NOT_KEPT, '');
}

// Everything but letters, digits and %, and any '.' that is not a decimal point.
const NOT_KEPT = /[^\p{L}\p{N}%.]+|(?<!\d)\.|\.(?!\d)/gu;

/** Sentences of a clean text (split at 。！？；and line breaks), trimmed, empty ones dropped. */
export function splitSentences(clean: string): string[] {
  return clean
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Clauses of a clean text (sentences further split at commas). */
export function splitClauses(clean: string): string[] {
  return clean
    .split(CLAUSE_END)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
