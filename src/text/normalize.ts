/**
 * Text normalisation shared by every part: answers come as HTML, Markdown, full-width forms and
 * terminal noise; references as clean prose. Both go through the same steps before they are compared.
 */
import { toArabicNumerals } from './numerals.js';
import { stripEscapeSequences } from './sanitize.js';
import { toSimplified } from './simplify.js';

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", ldquo: '“', rdquo: '”', lsquo: '‘',
  rsquo: '’', middot: '·', hellip: '…', mdash: '—', ndash: '–', times: '×', yen: '¥', emsp: ' ', ensp: ' ',
};

const SCRIPT_OR_STYLE = /<(script|style|noscript|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const BLOCK_TAG = /<\/?(?:br|p|div|li|ul|ol|tr|table|h[1-6]|section|article|blockquote|pre|hr)\b[^>]*>/gi;
const ANY_TAG = /<\/?[a-z][^>]*>|<!--[\s\S]*?-->/gi;
const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi;
// Controls, and the invisible characters (zero-width, bidi marks, line separators, BOM) that would split
// a phrase the bank spells without them.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g;
/** A tag, an entity or a character CONTROL removes (every escape sequence begins with one). */
const MARKUP_OR_CONTROL = new RegExp(`[<&]|${CONTROL.source}`);

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
  let t = raw;
  // Most replies are plain text: the markup and escape passes only run when one could match.
  if (MARKUP_OR_CONTROL.test(t)) {
    t = t.replace(SCRIPT_OR_STYLE, ' ').replace(BLOCK_TAG, '\n').replace(ANY_TAG, ' ');
    t = stripEscapeSequences(t.replace(ENTITY, decodeEntity)).replace(CONTROL, '');
  }
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
interface NormalizeOptions {
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

/**
 * Removes punctuation and whitespace from already-clean text: keeps letters, digits (\p{L}, \p{N}), %
 * and a '.' between two ASCII digits. Every answer goes through this many times (whole, per sentence,
 * per clause), so it walks a code-unit table instead of running a Unicode-property regex.
 */
export function stripPunctuation(clean: string): string {
  const kept = keptUnits();
  const n = clean.length;
  let out = '';
  let runStart = 0;
  for (let i = 0; i < n; i++) {
    const c = clean.charCodeAt(i);
    if (kept[c] === 1) continue;
    if (c === DOT && isDigit(clean.charCodeAt(i - 1)) && isDigit(clean.charCodeAt(i + 1))) continue;
    // A letter outside the BMP (an astral Han character) is kept whole; any other surrogate goes unit by unit.
    if (c >= 0xd800 && c <= 0xdbff && LETTER_OR_NUMBER.test(clean.slice(i, i + 2))) {
      i++;
      continue;
    }
    if (i > runStart) out += clean.slice(runStart, i);
    runStart = i + 1;
  }
  return runStart === 0 ? clean : out + clean.slice(runStart);
}

const DOT = 0x2e;
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
let keptTable: Uint8Array | undefined;

/** 1 for each BMP code unit that is a letter, a digit or % (surrogates: 0, decided in pairs). */
function keptUnits(): Uint8Array {
  if (keptTable) return keptTable;
  keptTable = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c < 0xd800 || c > 0xdfff) keptTable[c] = LETTER_OR_NUMBER.test(String.fromCharCode(c)) ? 1 : 0;
  }
  keptTable[0x25] = 1;
  return keptTable;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

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
