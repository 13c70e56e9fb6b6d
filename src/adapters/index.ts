import type { Adapter, AdapterConfig } from '../domain/types.js';
import { UserError } from '../util/errors.js';
import { createHttpJsonAdapter } from './http-json.js';

/** Adapter kinds a target can name, mapped to their factories. */
export const adapters = {
  'http-json': createHttpJsonAdapter,
} as const;

export type AdapterKind = keyof typeof adapters;

/**
 * Builds the adapter for a target. Simulated targets must first be pointed at a fleet
 * (see `src/demo`), which turns them into http-json targets.
 */
export function createAdapter(config: AdapterConfig, env: NodeJS.ProcessEnv = process.env): Adapter {
  switch (config.type) {
    case 'http-json':
      return adapters['http-json']({ config, env });
    case 'openai-chat':
    case 'web-widget':
      throw new UserError(`adapter type ${config.type} is not available yet`);
    case 'simulated':
      throw new UserError(`simulated target (persona ${config.persona}) has no demo fleet to reach`, 'start one with `govbench demo-fleet` and set adapter.fleet');
  }
}
