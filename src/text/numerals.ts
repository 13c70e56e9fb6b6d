/**
 * Chinese numerals and mixed forms to Arabic digits, and quantities (a number with its unit) out of text.
 *
 * Stable API, used by the matcher and the demo fleet: `toArabicNumerals`, `extractQuantities`,
 * `parseChineseNumber`, `Quantity`.
 */
import { canonicalUnit } from './units.js';

const DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const SMALL_UNITS: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG_UNITS: Readonly<Record<string, number>> = { 万: 1e4, 亿: 1e8 };

const NUMERAL_CHARS = '零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿';
const NUMERAL_RUN = new RegExp(`[${NUMERAL_CHARS}]+`, 'g');

/**
 * What may follow a single numeral character for it to count as a number (一个, 三日, 两年, 五万元).
 * A lone 一 elsewhere is a word (一般, 统一, 一致), never a number.
 */
const MEASURE_AFTER =
  /^(?:[多余来]?(?:个|工作日|日|天|月|年|周|岁|星期|小时|分钟|秒|次|份|项|名|人|元|块|角|种|张|页|类|倍|层|级|号|所|家|户|间|台|辆|条|本|件|套|位|批|期|轮|步|道|寸|平方米|平米|米|公里|千米|公斤|千克|克|吨|升|毫升|周岁|季度))/;

/** Arabic numbers followed by 万 / 亿 / 千 (1.5万, 3千元, 20万). */
const MIXED = /(\d+(?:\.\d+)?)\s*(万|亿|千)(?![米克瓦])/g;
const PERCENT = /百分之([零〇一二两三四五六七八九十百点\d.]+)/g;
const THOUSANDS_SEP = /(\d{1,3})(?:,(\d{3}))+(?!\d)/g;

/**
 * Parses a run of Chinese numeral characters (二十, 一百二十, 一万五, 二〇二三, 两). Returns null for runs
 * that are not one well-formed number (一一, 千万, 七八).
 */
export function parseChineseNumber(run: string): number | null {
  if (run.length === 0) return null;
  const chars = [...run];
  if (chars.every((c) => c in DIGITS)) {
    // A digit string (二〇二三): only where it cannot be a phrase like 一一 or 三三两两.
    if (chars.length === 1) return DIGITS[chars[0]!]!;
    if (!chars.some((c) => c === '〇' || c === '零') && chars.length < 4) return null;
    return Number(chars.map((c) => DIGITS[c]).join(''));
  }
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  let lastSmall = Infinity;
  let lastUnit = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c in DIGITS) {
      const d = DIGITS[c]!;
      if (digit !== null) return null;
      if (d !== 0) digit = d;
    } else if (c in SMALL_UNITS) {
      const u = SMALL_UNITS[c]!;
      if (u >= lastSmall) return null;
      if (digit === null) {
        // Only 十 stands without a digit (十五, 二百十); 百 / 千 alone begin no number.
        if (u !== 10) return null;
        digit = 1;
      }
      section += digit * u;
      digit = null;
      lastSmall = u;
      lastUnit = u;
    } else {
      const u = BIG_UNITS[c]!;
      if (i === 0 || (section === 0 && digit === null)) return null;
      if (u === 1e8) total = (total + section + (digit ?? 0)) * u;
      else total += (section + (digit ?? 0)) * u;
      section = 0;
      digit = null;
      lastSmall = Infinity;
      lastUnit = u;
    }
  }
  if (digit !== null) {
    // Colloquial abbreviation: 一万五 = 15000, 三百五 = 350, 一千二 = 1200; not after 零 (一百零五 = 105).
    section += lastUnit > 10 && isAbbrev(chars) ? (digit * lastUnit) / 10 : digit;
  }
  return total + section;
}

/** True when the last digit of the run follows a unit directly (一万五, not 一百零五). */
function isAbbrev(chars: string[]): boolean {
  const last = chars[chars.length - 1]!;
  const before = chars[chars.length - 2]!;
  return last in DIGITS && (before in SMALL_UNITS || before in BIG_UNITS);
}

/** One replacement made by the conversion, to map positions back to the original text. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Text with Chinese numerals converted, and a map from positions in it back to the original. */
interface ConvertedText {
  text: string;
  /** Position in the original text of a start position in `text`. */
  originalIndex(index: number): number;
  /** Position in the original text of an exclusive end position in `text`. */
  originalEnd(index: number): number;
}

/**
 * The conversion passes in order, each with a cheap test that tells when it has nothing to do (most
 * clauses hold no number at all, and every clause of every answer is converted).
 */
const PASSES: ReadonlyArray<{ mayApply: RegExp; edits: (text: string) => Edit[] }> = [
  { mayApply: /百分之/, edits: percentEdits },
  { mayApply: new RegExp(`[${NUMERAL_CHARS}]`), edits: chineseRunEdits },
  { mayApply: /\d,\d/, edits: separatorEdits },
  { mayApply: /\d\s*[万亿千]/, edits: mixedEdits },
];

/** Converts numerals and mixed forms, keeping a position map. */
export function convertNumerals(text: string): ConvertedText {
  // Each pass rewrites the previous one's output and keeps its edits, so positions map back through all.
  const passes: Edit[][] = [];
  let current = text;
  for (const pass of PASSES) {
    if (!pass.mayApply.test(current)) continue;
    const edits = pass.edits(current);
    if (edits.length > 0) {
      current = applyEdits(current, edits);
      passes.push(edits);
    }
  }
  const map = (index: number, side: 'start' | 'end'): number => {
    let pos = index;
    for (let p = passes.length - 1; p >= 0; p--) pos = mapBack(passes[p]!, pos, side);
    return pos;
  };
  return { text: current, originalIndex: (i) => map(i, 'start'), originalEnd: (i) => map(i, 'end') };
}

/**
 * Chinese numerals and mixed forms to Arabic: 二十 → 20, 十五日 → 15日, 一百二十 → 120, 两个月 → 2个月,
 * 1.5万 → 15000, 百分之二十 → 20%, 1,000 → 1000. Words that merely contain a numeral character
 * (一般, 统一, 十分, 千万) are left alone.
 */
export function toArabicNumerals(text: string): string {
  return convertNumerals(text).text;
}

function percentEdits(text: string): Edit[] {
  const edits: Edit[] = [];
  for (const m of text.matchAll(PERCENT)) {
    const value = parseLooseNumber(m[1]!);
    if (value !== null) edits.push({ start: m.index, end: m.index + m[0].length, text: `${formatNumber(value)}%` });
  }
  return edits;
}

function parseLooseNumber(s: string): number | null {
  if (/^\d+(?:\.\d+)?$/.test(s)) return Number(s);
  const [int, frac] = s.split('点');
  const whole = parseChineseNumber(int ?? '');
  if (whole === null) return null;
  if (frac === undefined) return whole;
  const digits = [...frac].map((c) => DIGITS[c]);
  if (digits.some((d) => d === undefined)) return null;
  return Number(`${whole}.${digits.join('')}`);
}

function chineseRunEdits(text: string): Edit[] {
  const edits: Edit[] = [];
  for (const m of text.matchAll(NUMERAL_RUN)) {
    const run = m[0];
    const start = m.index;
    const end = start + run.length;
    const after = text.slice(end, end + 4);
    const before = text.slice(Math.max(0, start - 1), start);
    const value = parseChineseNumber(run);
    if (value === null) continue;
    // Numeral characters are all in the BMP: one code unit each.
    const single = run.length === 1;
    // A lone numeral is a number only before a measure word or after 第 (一个, 两年, 第三); else a word (一般).
    if (single && !MEASURE_AFTER.test(after) && before !== '第') continue;
    edits.push({ start, end, text: formatNumber(value) });
  }
  return edits;
}

function separatorEdits(text: string): Edit[] {
  const edits: Edit[] = [];
  for (const m of text.matchAll(THOUSANDS_SEP)) {
    edits.push({ start: m.index, end: m.index + m[0].length, text: m[0].replace(/,/g, '') });
  }
  return edits;
}

function mixedEdits(text: string): Edit[] {
  const edits: Edit[] = [];
  for (const m of text.matchAll(MIXED)) {
    const factor = m[2] === '万' ? 1e4 : m[2] === '亿' ? 1e8 : 1e3;
    // 千米 / 千克 / 千瓦 are units, not thousands (excluded by the lookahead above).
    edits.push({ start: m.index, end: m.index + m[0].length, text: formatNumber(Number(m[1]) * factor) });
  }
  return edits;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e6) / 1e6);
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

function mapBack(edits: Edit[], pos: number, side: 'start' | 'end'): number {
  let shift = 0;
  for (const e of edits) {
    const newStart = e.start + shift;
    const newEnd = newStart + e.text.length;
    if (side === 'start' ? pos < newStart : pos <= newStart) break;
    if (side === 'start' ? pos < newEnd : pos <= newEnd) return side === 'start' ? e.start : e.end;
    shift += e.text.length - (e.end - e.start);
  }
  return pos - shift;
}

/** A number stated with its unit. */
export interface Quantity {
  value: number;
  /** Canonical unit (see `canonicalUnit`): 工作日, 日, 个月, 年, 周岁, 周, 小时, 元, %, … */
  unit: string;
  /** The unit as written. */
  rawUnit: string;
  /** Start of the quantity in the text given to `extractQuantities`. */
  index: number;
  /** End (exclusive) in the text given to `extractQuantities`. */
  end: number;
  /** The other bound when stated as a range (3至5个工作日: 3 with range [3, 5]). */
  range?: [number, number];
  /** 第三个工作日: a position, not an amount. */
  ordinal: boolean;
}

const UNIT_ALTERNATION = [
  '个工作日', '工作日', '个自然日', '自然日', '个日历日', '日历日', '个小时', '小时', '分钟', '个星期', '星期',
  '个月', '周岁', '周年', '个周', '周', '天', '日', '月', '年', '岁', '万元', '块钱', '元', '块', '%', '％',
  '份', '项', '次', '人', '名', '张', '页', '种', '类', '倍', '家', '户', '台', '辆', '件', '本', '套', '位',
  '平方米', '平米', '㎡', '公里', '千米', '米', '公斤', '千克', '克', '吨', '个',
].join('|');

const QUANTITY = new RegExp(
  String.raw`(\d+(?:\.\d+)?)(?:\s*(?:-|~|～|—|－|至|到|或)\s*(\d+(?:\.\d+)?))?\s*(?:[多余来])?\s*(${UNIT_ALTERNATION})(半)?`,
  'g',
);
const HALF = /半(个月|年|天|日|小时)/g;

/**
 * Quantities stated in a text, after numeral conversion: 二十个工作日 → {20, 工作日}, 两个月 → {2, 个月},
 * 3至5天 → {3, 日, range [3,5]} and {5, 日, range [3,5]}, 一年半 → {1.5, 年}. Calendar dates
 * (2023年, 3月1日, 每月15日) are not quantities. Indices point into the original `text`.
 */
export function extractQuantities(text: string): Quantity[] {
  const conv = convertNumerals(text);
  const t = conv.text;
  const out: Quantity[] = [];
  for (const m of t.matchAll(QUANTITY)) {
    const start = m.index;
    const end = start + m[0].length;
    const rawUnit = m[3]!;
    if (isDate(t, start, end, rawUnit, Number(m[1]))) continue;
    const { unit, factor } = canonicalUnit(rawUnit);
    const half = m[4] ? 0.5 : 0;
    const first = Number(m[1]) * factor + half * factor;
    const ordinal = t[start - 1] === '第';
    const orig = { index: conv.originalIndex(start), end: conv.originalEnd(end) };
    if (m[2] !== undefined) {
      const second = Number(m[2]) * factor + half * factor;
      const range: [number, number] = [Math.min(first, second), Math.max(first, second)];
      out.push({ value: first, unit, rawUnit, ...orig, range, ordinal });
      out.push({ value: second, unit, rawUnit, ...orig, range, ordinal });
    } else {
      out.push({ value: first, unit, rawUnit, ...orig, ordinal });
    }
  }
  for (const m of t.matchAll(HALF)) {
    if (/\d/.test(t[m.index - 1] ?? '')) continue;
    const rawUnit = m[1]!;
    const { unit, factor } = canonicalUnit(rawUnit);
    out.push({
      value: 0.5 * factor,
      unit,
      rawUnit,
      index: conv.originalIndex(m.index),
      end: conv.originalEnd(m.index + m[0].length),
      ordinal: false,
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** 2023年, 2023年3月, 3月1日, 每月15日, 15号: dates, not durations. */
function isDate(t: string, start: number, end: number, rawUnit: string, value: number): boolean {
  if (rawUnit === '年' && value >= 1000) return true;
  if (rawUnit === '月') {
    if (/^\s*\d+\s*[日号]/.test(t.slice(end, end + 5))) return true;
    if (/\d{4}\s*年\s*$/.test(t.slice(Math.max(0, start - 6), start))) return true;
  }
  if (rawUnit === '日' && /(?:\d\s*|[每次当本上下])月\s*$/.test(t.slice(Math.max(0, start - 4), start))) return true;
  return false;
}
