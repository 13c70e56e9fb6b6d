import type { Grade, RegionId } from '../domain/types.js';
import type { Interval } from '../scoring/model.js';
import { stripUnsafe } from '../text/sanitize.js';

/** Region names as Chinese readers know them. */
export const REGION_LABELS: Readonly<Record<RegionId, string>> = {
  east: '华东',
  south: '华南',
  central: '华中',
  north: '华北',
  southwest: '西南',
  northeast: '东北',
  northwest: '西北',
};

/** Grade names of the yearly evaluation. */
export const GRADE_LABELS: Readonly<Record<Grade, string>> = {
  excellent: '优秀',
  good: '良好',
  average: '一般',
  poor: '较差',
};

/** What reports print where a value could not be measured. */
export const MISSING = '—';

/** `3 cases`, `1 case`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Makes text safe inside a Markdown table cell: no escape sequences or controls, `|` escaped, line
 * breaks as `<br>` so the row stays one line.
 */
export function escapeCell(text: string): string {
  return stripUnsafe(text)
    .replace(/\\(?=\|)/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, '<br>')
    .replace(/\t/g, ' ');
}

/** A score with one decimal. */
export function fmtScore(v: number | null, digits = 1): string {
  return v === null ? MISSING : v.toFixed(digits);
}

/** A signed difference with one decimal; positive gaps mean worse on the variant. */
export function fmtGap(v: number | null): string {
  if (v === null) return MISSING;
  const s = v.toFixed(1);
  return v > 0 && s !== '0.0' ? `+${s}` : s === '-0.0' ? '0.0' : s;
}

export function fmtInterval(iv: Interval | null): string {
  return iv === null ? MISSING : `${iv[0].toFixed(1)}–${iv[1].toFixed(1)}`;
}

/** Milliseconds as seconds with one decimal. */
export function fmtMs(ms: number | null): string {
  return ms === null ? MISSING : `${(ms / 1000).toFixed(1)} s`;
}

export function fmtShare(v: number): string {
  return `${(v * 100).toFixed(0)}%`;
}

/** A rank, with `=` in front when tied. */
export function fmtRank(rank: number | null, tied: boolean): string {
  return rank === null ? MISSING : `${tied ? '=' : ''}${rank}`;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp >= 0x300 && cp <= 0x36f) return 0; // combining diacritics
  return isWide(cp) ? 2 : 1;
}

/** Columns a string takes in a terminal: CJK and fullwidth characters take two. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** Cuts text to at most `width` columns, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = charWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/** Pads (or cuts) text to exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - displayWidth(t)));
  return align === 'left' ? t + pad : pad + t;
}
