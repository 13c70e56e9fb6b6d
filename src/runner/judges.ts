import type { RunConfig } from '../config/run-config.js';
import type { BankSet, Judge, JudgeCache, JudgeMode, Store, TokenUsage } from '../domain/types.js';
import { createCascadeJudge } from '../judge/cascade.js';
import { createMatcherJudge } from '../judge/matcher/index.js';
import { UserError } from '../util/errors.js';

interface CreateJudgesOptions {
  llm?: RunConfig['llm'];
  cache?: JudgeCache;
  onUsage?: (judge: string, usage: TokenUsage, cached: boolean, failed: boolean) => void;
  env?: NodeJS.ProcessEnv;
  /** Judge with the matcher on worker threads (long runs); calibration's few items need not. */
  threads?: boolean;
}

/**
 * The judges a mode applies, the judge of record first. The LLM judge (and LangChain with it) is
 * loaded only when asked for.
 */
export async function createJudges(mode: JudgeMode, banks: BankSet, opts: CreateJudgesOptions = {}): Promise<Judge[]> {
  const matcher = async (): Promise<Judge> =>
    opts.threads ? (await import('../judge/matcher-pool/index.js')).createMatcherPool({ banks }) : createMatcherJudge(banks);
  if (mode === 'matcher') return [await matcher()];
  const env = opts.env ?? process.env;
  const baseURL = opts.llm?.baseURL ?? env.GOVBENCH_LLM_BASE_URL;
  const model = opts.llm?.model ?? env.GOVBENCH_LLM_MODEL;
  if (!baseURL || !model) {
    throw new UserError(
      `--judge ${mode} needs an OpenAI-compatible endpoint for the LLM judge`,
      'set llm.baseURL and llm.model in the --config file, or GOVBENCH_LLM_BASE_URL and GOVBENCH_LLM_MODEL (and GOVBENCH_LLM_API_KEY)',
    );
  }
  const { createLlmJudge } = await import('../judge/llm/index.js');
  const apiKey = opts.llm?.apiKey ?? (env.GOVBENCH_LLM_API_KEY !== undefined ? '${GOVBENCH_LLM_API_KEY}' : undefined);
  const llm = createLlmJudge({
    banks,
    endpoint: { baseURL, model, ...(apiKey !== undefined && { apiKey }) },
    ...(opts.llm?.method && { method: opts.llm.method }),
    ...(opts.llm?.concurrency !== undefined && { concurrency: opts.llm.concurrency }),
    ...(opts.llm?.retries !== undefined && { retries: opts.llm.retries }),
    ...(opts.llm?.timeoutMs !== undefined && { timeoutMs: opts.llm.timeoutMs }),
    ...(opts.cache && { cache: opts.cache }),
    ...(opts.onUsage && { onUsage: (u: TokenUsage, cached: boolean, failed: boolean) => opts.onUsage!('llm', u, cached, failed) }),
    env,
  });
  if (mode === 'llm') return [llm];
  if (mode === 'cascade') return [createCascadeJudge(await matcher(), llm)];
  return [llm, await matcher()];
}

/** Counts each judge call of a run (and its tokens) in the run's judge usage. */
export function recordUsageIn(store: Store, runId: string): NonNullable<CreateJudgesOptions['onUsage']> {
  return (judge, u, cached, failed) =>
    store.addJudgeUsage(runId, {
      judge,
      calls: cached ? 0 : 1,
      cached: cached ? 1 : 0,
      failures: failed ? 1 : 0,
      promptTokens: u.promptTokens,
      completionTokens: u.completionTokens,
    });
}

/** Closes every judge that holds something (worker threads). */
export async function closeJudges(judges: readonly Judge[]): Promise<void> {
  await Promise.all(judges.map((j) => j.close?.()));
}
