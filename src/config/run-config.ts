import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { JUDGE_MODES } from '../domain/types.js';
import { readYamlFile, validateYaml } from '../util/yaml-file.js';

/** A govbench config file (`--config`): defaults for `run`; flags given on the command line win. */
const runConfigSchema = z.strictObject({
  banks: z.array(z.string()).min(1).optional(),
  targets: z.string().optional(),
  target: z.array(z.string()).optional(),
  judge: z.enum(JUDGE_MODES).optional(),
  /** The LLM judge's endpoint; environment variables GOVBENCH_LLM_BASE_URL / _MODEL / _API_KEY fill gaps. */
  llm: z
    .strictObject({
      baseURL: z.string().optional(),
      model: z.string().optional(),
      apiKey: z.string().optional(),
      method: z.enum(['functionCalling', 'jsonSchema', 'jsonMode']).optional(),
      concurrency: z.number().int().min(1).max(64).optional(),
      retries: z.number().int().min(0).max(10).optional(),
      timeoutMs: z.number().int().min(1000).optional(),
      /** Prices per million tokens, to print the cost of a run's judging. */
      pricing: z.strictObject({ inputPerMillion: z.number().min(0), outputPerMillion: z.number().min(0), currency: z.string().optional() }).optional(),
    })
    .optional(),
  repeat: z.number().int().min(1).optional(),
  db: z.string().optional(),
  label: z.string().optional(),
  /** Cases in flight across all targets. */
  concurrency: z.number().int().min(1).max(1024).optional(),
  /**
   * The Chromium or Chrome that drives web-widget targets; wins over GOVBENCH_CHROMIUM and over
   * the browsers govbench finds by itself (an installed one, else one from npm).
   * @example { executablePath: /opt/google/chrome/chrome }
   */
  browser: z.strictObject({ executablePath: z.string().min(1).optional() }).optional(),
  /** Weights, grade bands, responsiveness curve and bootstrap settings (see src/scoring/config.ts). */
  scoring: z.record(z.string(), z.unknown()).optional(),
  /** Weights of the four-aspect city report, `report --aspects` (see src/scoring/aspects-config.ts). */
  aspects: z.record(z.string(), z.unknown()).optional(),
});

export type RunConfig = z.output<typeof runConfigSchema>;

/** Reads a config file; paths inside it are relative to the file. */
export function loadRunConfig(file: string): RunConfig {
  const yaml = readYamlFile(file);
  const config = validateYaml(yaml, runConfigSchema);
  const base = dirname(file);
  return {
    ...config,
    ...(config.banks && { banks: config.banks.map((b) => resolve(base, b)) }),
    ...(config.targets && { targets: resolve(base, config.targets) }),
    ...(config.db && { db: resolve(base, config.db) }),
    ...(config.browser?.executablePath && { browser: { executablePath: resolve(base, config.browser.executablePath) } }),
  };
}
