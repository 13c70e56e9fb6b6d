/**
 * Seeded randomness for the simulated fleet. Every draw is a pure function of its inputs, so the same
 * seed, target, message and turn always give the same reply — no `Math.random` anywhere in `src/demo`.
 */

/** A draw in [0, 1) named by what it decides (`fallback`, `kp:form`, …). */
export type Draw = (label: string) => number;

/** FNV-1a over the UTF-16 code units of the parts, joined by a unit separator. */
export function hashParts(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.join('\u001f');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast 32-bit generator; good enough for simulation, not for secrets. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Independent named draws over fixed inputs. Each label gets its own stream, so a decision keeps its
 * draw whatever other decisions were taken before it — two personas asked the same thing with the
 * same stream differ only where their rates differ (common random numbers).
 */
export function createDraw(...base: readonly (string | number)[]): Draw {
  const root = hashParts(...base);
  return (label) => mulberry32(hashParts(root, label))();
}

/** Picks one item by a draw in [0, 1). */
export function pick<T>(items: readonly T[], u: number): T {
  if (items.length === 0) throw new RangeError('[govbench] [demo] pick() from an empty list');
  return items[Math.min(items.length - 1, Math.floor(u * items.length))]!;
}

/** A standard normal deviate from two uniforms (Box–Muller). */
export function normal(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(Math.max(u1, 1e-12))) * Math.cos(2 * Math.PI * u2);
}
