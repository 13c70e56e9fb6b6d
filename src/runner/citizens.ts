import { createCitizen, type CitizenOptions } from '../citizens/index.js';
import { expandEnv } from '../config/env.js';
import type { RunConfig } from '../config/run-config.js';
import type { Citizen, CitizenKind } from '../domain/types.js';
import { UserError } from '../util/errors.js';

/** Which simulated citizens play a run's scenarios (`run --citizen`). */
export const CITIZEN_CHOICES = ['rule', 'llm', 'both'] as const;
export type CitizenChoice = (typeof CITIZEN_CHOICES)[number];

export function citizenKinds(choice: CitizenChoice): CitizenKind[] {
  return choice === 'both' ? ['rule', 'llm'] : [choice];
}

/**
 * The citizens a choice names. The `llm` one talks to the endpoint the LLM judge would use: the run
 * config's `llm`, else GOVBENCH_LLM_BASE_URL, GOVBENCH_LLM_MODEL and GOVBENCH_LLM_API_KEY.
 */
export function createCitizens(choice: CitizenChoice, llm: RunConfig['llm'] | undefined, env: NodeJS.ProcessEnv, onUsage?: CitizenUsageListener): Citizen[] {
  return citizenKinds(choice).map((kind) => createCitizen(kind, kind === 'llm' ? llmOptions(llm, env, onUsage) : {}));
}

/** The name the LLM citizen's calls are counted under with the judges' (`judgeUsage`), so `--max-calls` counts them. */
export const LLM_CITIZEN_USAGE = 'citizen:llm';

export type CitizenUsageListener = (judge: typeof LLM_CITIZEN_USAGE, usage: { promptTokens: number; completionTokens: number }, failed: boolean) => void;

function llmOptions(llm: RunConfig['llm'] | undefined, env: NodeJS.ProcessEnv, onUsage?: CitizenUsageListener): CitizenOptions {
  const baseURL = llm?.baseURL ?? env.GOVBENCH_LLM_BASE_URL;
  const model = llm?.model ?? env.GOVBENCH_LLM_MODEL;
  if (!baseURL || !model) {
    throw new UserError(
      '--citizen llm needs an OpenAI-compatible endpoint for the simulated citizen',
      'set llm.baseURL and llm.model in the --config file, or GOVBENCH_LLM_BASE_URL and GOVBENCH_LLM_MODEL (and GOVBENCH_LLM_API_KEY)',
    );
  }
  const apiKey = llm?.apiKey !== undefined ? expandEnv(llm.apiKey, env, new Set()) : env.GOVBENCH_LLM_API_KEY;
  return {
    llm: {
      baseURL,
      model,
      ...(apiKey !== undefined && { apiKey }),
      ...(llm?.timeoutMs !== undefined && { timeoutMs: llm.timeoutMs }),
      ...(onUsage && { onCall: (usage, failed) => onUsage(LLM_CITIZEN_USAGE, usage, failed) }),
    },
  };
}
