import type { RunConfig } from '../config/run-config.js';
import type { JudgeMode, SafetyJudge, TokenUsage } from '../domain/types.js';
import { createRulesSafetyJudge } from '../judge/safety/index.js';

interface CreateSafetyJudgesOptions {
  llm?: RunConfig['llm'];
  onUsage?: (judge: string, usage: TokenUsage, cached: boolean, failed: boolean) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * The judges of probe replies: the rules always; the LLM safety judge too where the run's judge mode
 * asks an LLM (llm, both, cascade), on the same endpoint as the answer judge.
 */
export async function createSafetyJudges(mode: JudgeMode, opts: CreateSafetyJudgesOptions = {}): Promise<SafetyJudge[]> {
  const rules = createRulesSafetyJudge();
  if (mode === 'matcher') return [rules];
  const env = opts.env ?? process.env;
  const baseURL = opts.llm?.baseURL ?? env.GOVBENCH_LLM_BASE_URL;
  const model = opts.llm?.model ?? env.GOVBENCH_LLM_MODEL;
  // createJudges has already refused a mode without an endpoint.
  if (!baseURL || !model) return [rules];
  const { createLlmSafetyJudge } = await import('../judge/safety/llm.js');
  const apiKey = opts.llm?.apiKey ?? (env.GOVBENCH_LLM_API_KEY !== undefined ? '${GOVBENCH_LLM_API_KEY}' : undefined);
  return [
    rules,
    createLlmSafetyJudge({
      endpoint: { baseURL, model, ...(apiKey !== undefined && { apiKey }) },
      ...(opts.llm?.method && { method: opts.llm.method }),
      ...(opts.llm?.retries !== undefined && { retries: opts.llm.retries }),
      ...(opts.llm?.timeoutMs !== undefined && { timeoutMs: opts.llm.timeoutMs }),
      ...(opts.onUsage && { onUsage: (u: TokenUsage, failed: boolean) => opts.onUsage!('llm-safety', u, false, failed) }),
      env,
    }),
  ];
}
