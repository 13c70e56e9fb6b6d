/**
 * How a number may be written in a reference answer, so the fleet can find a fact's value and write a
 * wrong one in the same form. Deliberately small: integers in Chinese up to 99,999,999 and Arabic
 * numbers; the judges' own normalisation lives in `src/text`.
 */

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const SMALL_UNITS = ['', '十', '百', '千'] as const;
const CHINESE_NUMERAL_CHARS = '零〇一二两三四五六七八九十百千万亿';

export type NumberForm = 'arabic' | 'chinese';

/** 20 → 二十, 15 → 十五, 105 → 一百零五, 30000 → 三万; non-integers and negatives have no Chinese form. */
export function toChineseInteger(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n >= 1e8) return undefined;
  if (n === 0) return DIGITS[0];
  if (n >= 10_000) {
    const high = Math.floor(n / 10_000);
    const low = n % 10_000;
    if (low === 0) return `${toChineseInteger(high)}万`;
    return `${toChineseInteger(high)}万${low < 1000 ? '零' : ''}${below10k(low, true)}`;
  }
  return below10k(n, false);
}

function below10k(n: number, inside: boolean): string {
  const digits = String(n).padStart(4, '0').split('').map(Number);
  let out = '';
  let pendingZero = false;
  digits.forEach((d, i) => {
    const unit = SMALL_UNITS[3 - i]!;
    if (d === 0) {
      if (out) pendingZero = true;
      return;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    // 十五 rather than 一十五, except inside a larger number (一万零一十五).
    out += d === 1 && unit === '十' && !out && !inside ? unit : DIGITS[d]! + unit;
  });
  return out;
}

/** Writes a number in the given form; falls back to Arabic where no Chinese form exists. */
export function formatNumber(n: number, form: NumberForm): string {
  return form === 'chinese' ? (toChineseInteger(n) ?? String(n)) : String(n);
}

/** Every way the value may appear in text, with a pattern that does not match inside a longer number. */
export function numberPatterns(n: number): { form: NumberForm; source: string }[] {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const out: { form: NumberForm; source: string }[] = [
    { form: 'arabic', source: `(?<![0-9０-９.])${escape(String(n))}(?![0-9０-９]|\\.[0-9])` },
  ];
  const chinese = toChineseInteger(n);
  const numeral = `[${CHINESE_NUMERAL_CHARS}]`;
  const chineseForms = chinese ? [chinese, ...(n === 2 ? ['两'] : [])] : [];
  for (const c of chineseForms) out.push({ form: 'chinese', source: `(?<!${numeral})${c}(?!${numeral})` });
  return out;
}
