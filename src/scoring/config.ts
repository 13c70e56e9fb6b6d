import { z } from 'zod';
import type { Grade } from '../domain/types.js';
import { UserError } from '../util/errors.js';

/**
 * How scores are computed (SPEC §5). Every value is configurable and every report prints the
 * configuration it was computed with, so two reports are comparable only when these match.
 */

const weight = z.number().min(0).max(1);
const score = z.number().min(0).max(100);

const weightsSchema = z
  .strictObject({
    /** @default 0.4 */
    accuracy: weight.default(0.4),
    /** @default 0.3 */
    intent: weight.default(0.3),
    /** @default 0.2 */
    availability: weight.default(0.2),
    /** @default 0.1 */
    responsiveness: weight.default(0.1),
  })
  .refine((w) => Math.abs(w.accuracy + w.intent + w.availability + w.responsiveness - 1) < 1e-9, {
    // Weights that do not sum to 1 would push technical support off the 0–100 scale the grade bands assume.
    message: 'the four weights must sum to 1',
  });

const gradeBandsSchema = z
  .strictObject({
    /** Lowest technical-support score graded `excellent`. @default 85 */
    excellent: score.default(85),
    /** Lowest score graded `good`. @default 70 */
    good: score.default(70),
    /** Lowest score graded `average`; anything below is `poor`. @default 60 */
    average: score.default(60),
  })
  .refine((b) => b.excellent > b.good && b.good > b.average, {
    message: 'expected excellent > good > average',
  });

const responsivenessCurveSchema = z
  .strictObject({
    /** First-reply latency at or below which responsiveness is 100. @default 3000 */
    fullMs: z.number().min(0).default(3_000),
    /** First-reply latency at or above which responsiveness is 0; linear in between. @default 30000 */
    zeroMs: z.number().min(0).default(30_000),
  })
  .refine((c) => c.zeroMs > c.fullMs, { message: 'expected zeroMs > fullMs', path: ['zeroMs'] });

const bootstrapSchema = z.strictObject({
  /** Resamples of the questions; 0 turns intervals off. @default 1000 */
  iterations: z.number().int().min(0).max(100_000).default(1_000),
  /** Seed of the pseudo-random generator: the same seed and data give the same intervals. @default 20240501 */
  seed: z.number().int().min(0).max(0xffffffff).default(20_240_501),
  /** Two-sided coverage of the percentile interval. @default 0.95 */
  confidence: z.number().gt(0).lt(1).default(0.95),
});

const scoringConfigSchema = z
  .strictObject({
    /** Weights of technical support = Σ weight · score. */
    weights: weightsSchema.prefault({}),
    /** Grade bands on the technical-support score. */
    grades: gradeBandsSchema.prefault({}),
    responsiveness: responsivenessCurveSchema.prefault({}),
    bootstrap: bootstrapSchema.prefault({}),
  })
  .prefault({});

/** The resolved scoring configuration (every field present). */
export type ScoringConfig = z.output<typeof scoringConfigSchema>;
/** What a user may write: any field may be left out and takes its default. */
export type ScoringConfigInput = z.input<typeof scoringConfigSchema>;
type GradeBands = ScoringConfig['grades'];

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(o);
}

/** The defaults of SPEC §5 (frozen; `resolveScoringConfig` returns fresh copies). */
export const DEFAULT_SCORING_CONFIG: ScoringConfig = deepFreeze(scoringConfigSchema.parse(undefined));

/**
 * Fills in defaults and validates a `ScoringConfigInput`, or whatever a config file held. Bad values
 * are the user's to fix, so they raise a `UserError` naming the field.
 * @example resolveScoringConfig({ bootstrap: { seed: 7 } })
 */
export function resolveScoringConfig(input?: unknown): ScoringConfig {
  const parsed = scoringConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `scoring.${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new UserError(`[govbench] [scoring] invalid scoring configuration:\n${problems.join('\n')}`, 'fix the scoring section of the configuration');
}

/** Responsiveness of one case, 0–100, from its first-reply latency. */
export function responsivenessFor(firstMs: number, curve: ScoringConfig['responsiveness']): number {
  if (firstMs <= curve.fullMs) return 100;
  if (firstMs >= curve.zeroMs) return 0;
  return (100 * (curve.zeroMs - firstMs)) / (curve.zeroMs - curve.fullMs);
}

/**
 * The grade of a technical-support score. Scores are compared after rounding to 6 decimals so that
 * floating-point noise from the weighting (84.99999999999999) does not cost a band.
 */
export function gradeFor(score: number, bands: GradeBands): Grade {
  const s = Math.round(score * 1e6) / 1e6;
  if (s >= bands.excellent) return 'excellent';
  if (s >= bands.good) return 'good';
  if (s >= bands.average) return 'average';
  return 'poor';
}
