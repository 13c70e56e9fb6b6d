/**
 * The simulated citizens that play scenarios (issue 16), by kind: `rule` (deterministic, offline, the
 * default) and `llm` (any OpenAI-compatible endpoint).
 */
import type { Citizen, CitizenKind, Matter } from '../domain/types.js';
import { UserError } from '../util/errors.js';
import { createLlmCitizen, type LlmCitizenOptions } from './llm.js';
import { createRuleCitizen } from './rule.js';

export interface CitizenOptions {
  /** The `llm` citizen's endpoint; `apiKey` may be `${VAR}`, expanded from the environment and never shown. */
  llm?: LlmCitizenOptions;
  /**
   * The loaded matters, so the `rule` citizen reads replies as the conversation scores do.
   * @default [] (key points, which decide when it stops, do not depend on them)
   */
  matters?: readonly Matter[];
}

/** A citizen of the given kind; an `llm` citizen without an endpoint is a UserError. */
export function createCitizen(kind: CitizenKind, options: CitizenOptions = {}): Citizen {
  if (kind === 'rule') return createRuleCitizen(options.matters);
  if (!options.llm) throw new UserError('llm citizen: no endpoint configured', 'give the llm citizen an endpoint: baseURL and model');
  return createLlmCitizen(options.llm);
}
