import { z } from 'zod';
import { UserError } from '../util/errors.js';

/**
 * How the four-aspect city report (`report --aspects`) combines the evaluators' hand scores with
 * govbench's measured chatbot score: the `aspects:` section of a config file. Every report prints it.
 */

const weight = z.number().min(0).max(1);

const aspectWeightsSchema = z
  .strictObject({
    /** 服务指南. @default 0.25 */
    serviceGuide: weight.default(0.25),
    /** 技术支撑: the chatbot score and, when the sheet has it, the rest scored by hand. @default 0.25 */
    technicalSupport: weight.default(0.25),
    /** 事项办理. @default 0.25 */
    matterHandling: weight.default(0.25),
    /** 互动交流. @default 0.25 */
    interactiveCommunication: weight.default(0.25),
  })
  .refine((w) => Math.abs(w.serviceGuide + w.technicalSupport + w.matterHandling + w.interactiveCommunication - 1) < 1e-9, {
    // The overall score is graded on the same 0–100 bands as every aspect; weights off 1 would shift it.
    message: 'the four weights must sum to 1',
  });

const aspectsConfigSchema = z
  .strictObject({
    /** Weights of the overall score = Σ weight · aspect score. */
    weights: aspectWeightsSchema.prefault({}),
    /**
     * The share of the technical-support aspect that govbench's chatbot score (intelligent customer
     * service) makes up when the sheet has a `technicalSupportOther` column: technical support =
     * chatbotShare · chatbot + (1 − chatbotShare) · technicalSupportOther. Without that column,
     * technical support is the chatbot score alone.
     * @default 0.5
     */
    chatbotShare: weight.default(0.5),
  })
  .prefault({});

/** The resolved `aspects:` configuration (every field present). */
export type AspectsConfig = z.output<typeof aspectsConfigSchema>;

/**
 * Fills in defaults and validates the `aspects:` section of a config file; a bad value is a
 * `UserError` naming the field.
 * @example resolveAspectsConfig({ chatbotShare: 0.4 })
 */
export function resolveAspectsConfig(input?: unknown): AspectsConfig {
  const parsed = aspectsConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `aspects.${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new UserError(`[govbench] [aspects] invalid aspects configuration:\n${problems.join('\n')}`, 'fix the aspects section of the configuration');
}
