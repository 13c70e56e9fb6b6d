import { displayWidth, fit, truncate } from '../reports/format.js';
import { oneLine, stripUnsafe } from '../text/sanitize.js';

export { displayWidth, fit, oneLine };

/**
 * A name padded or cut to exactly `width` columns, keeping its end when cut: names of one fleet tend
 * to differ at the end (… v1, … v2), which a plain cut would make look alike.
 */
export function fitName(name: string, width: number): string {
  if (displayWidth(name) <= width) return fit(name, width);
  const chars = [...name];
  let tail = '';
  while (chars.length > 0 && displayWidth(chars.at(-1)! + tail) <= Math.floor(width / 3)) tail = chars.pop()! + tail;
  return fit(`${truncate(chars.join(''), width - displayWidth(tail))}${tail}`, width);
}

/**
 * Outside text wrapped to `width` columns, CJK counted as two; its own line breaks are kept, escape
 * sequences and control characters are gone.
 */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(4, width);
  const out: string[] = [];
  for (const paragraph of stripUnsafe(text).split(/\r\n|\r|\n/)) {
    let line = '';
    let used = 0;
    for (const ch of oneLine(paragraph)) {
      const cw = displayWidth(ch);
      if (used + cw > w) {
        // A Latin word carries over whole; CJK text breaks anywhere.
        const cut = line.lastIndexOf(' ');
        if (ch !== ' ' && cut > 0 && /[!-~]$/.test(line)) {
          out.push(line.slice(0, cut).trimEnd());
          line = line.slice(cut + 1) + ch;
          used = displayWidth(line);
        } else {
          out.push(line.trimEnd());
          line = ch === ' ' ? '' : ch;
          used = ch === ' ' ? 0 : cw;
        }
      } else {
        line += ch;
        used += cw;
      }
    }
    out.push(line);
  }
  return out;
}

/** The first `index` of a list of `length` rows shown in `visible` lines, keeping the cursor in the middle. */
export function windowStart(length: number, index: number, visible: number): number {
  if (length <= visible) return 0;
  return Math.max(0, Math.min(index - Math.floor(visible / 2), length - visible));
}

/** Milliseconds as a short duration: 850 ms, 12 s, 3m05s, 1h02m. */
export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
