/**
 * Seeded randomness for the simulated fleet. Every draw is a pure function of its inputs, so the same
 * seed, target, message and turn always give the same reply — no `Math.random` anywhere in `src/demo`.
 */

import { hash32, mulberry32 } from '../util/random.js';

/** A draw in [0, 1) named by what it decides (`fallback`, `kp:form`, …). */
export type Draw = (label: string) => number;

/** FNV-1a over the parts, joined by a unit separator. */
export function hashParts(...parts: readonly (string | number)[]): number {
  return hash32(parts.join('\u001f'));
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
