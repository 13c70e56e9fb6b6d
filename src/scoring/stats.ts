/** Small statistics helpers; pure, and exact enough to check by hand. */

/**
 * The p-quantile of ascending-sorted values by linear interpolation between closest ranks
 * (Hyndman & Fan type 7: the default of R, NumPy and spreadsheets). `null` when there are none.
 * @example quantileSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  if (lo + 1 >= n) return a;
  const b = sorted[lo + 1] as number;
  return a + (h - lo) * (b - a);
}

/** Arithmetic mean of the non-null values; `null` when there are none. */
export function meanOf(values: Iterable<number | null>): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === null) continue;
    sum += v;
    n++;
  }
  return n === 0 ? null : sum / n;
}

/** 32-bit FNV-1a hash of a string, to derive independent seeds from one configured seed. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A seeded pseudo-random generator of floats in [0, 1) (mulberry32): tiny, fast and reproducible
 * across platforms, which is all a bootstrap needs.
 */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A growable array of float64, so per-case values cost 8 bytes each instead of a boxed number. */
export class FloatList {
  private data = new Float64Array(64);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  /** A sorted copy of the values. */
  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}
