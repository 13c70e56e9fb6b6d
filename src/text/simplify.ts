/** Traditional → simplified Chinese with opencc-js (phrase-aware: 護照簽發機關 → 护照签发机关). */
import { createRequire } from 'node:module';

interface Simplifier {
  convert: (text: string) => string;
  /** BMP code units that conversion changes; text without any of them is returned as it is, fast. */
  changes: Uint8Array;
}

let instance: Simplifier | undefined;

function simplifier(): Simplifier {
  if (instance) return instance;
  // Loading the dictionaries and building the bitmap takes ~150 ms and megabytes: only on first use.
  const { Converter } = createRequire(import.meta.url)('opencc-js/t2cn') as typeof import('opencc-js/t2cn');
  const convert = Converter({ from: 'tw', to: 'cn' });
  const changes = new Uint8Array(0x10000);
  for (const [lo, hi] of [
    [0x3400, 0x4dbf],
    [0x4e00, 0x9fff],
    [0xf900, 0xfaff],
  ] as const) {
    for (let c = lo; c <= hi; c++) {
      const ch = String.fromCharCode(c);
      if (convert(ch) !== ch) changes[c] = 1;
    }
  }
  instance = { convert, changes };
  return instance;
}

/** Traditional characters and phrases to simplified; simplified text comes back unchanged (the same string). */
export function toSimplified(text: string): string {
  const s = simplifier();
  for (let i = 0; i < text.length; i++) {
    if (s.changes[text.charCodeAt(i)] === 1) return s.convert(text);
  }
  return text;
}
