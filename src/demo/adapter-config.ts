import type { HttpJsonAdapterConfig, Target } from '../domain/types.js';

/**
 * The http-json adapter configuration that reaches a simulated target on a running fleet: a simulated
 * target is asked exactly as a real city is (SPEC §1), only the URL points at loopback.
 * @example simulatedAdapterConfig(target, 'http://127.0.0.1:4173')
 *   // → { type: 'http-json', url: 'http://127.0.0.1:4173/targets/sim-donglan/chat', reply: '$.data.answer', … }
 */
export function simulatedAdapterConfig(target: Target, fleetUrl: string): HttpJsonAdapterConfig {
  if (target.adapter?.type !== 'simulated') {
    throw new TypeError(`[govbench] [demo] target "${target.id}" is not simulated (adapter type ${target.adapter?.type ?? 'none'})`);
  }
  if (!/^https?:\/\//.test(fleetUrl)) {
    throw new TypeError(`[govbench] [demo] fleet URL "${fleetUrl}" for target "${target.id}"; expected http://host:port`);
  }
  return {
    type: 'http-json',
    url: `${fleetUrl.replace(/\/+$/, '')}/targets/${encodeURIComponent(target.id)}/chat`,
    method: 'POST',
    headers: {},
    body: { message: '{{message}}', sessionId: '{{sessionId}}' },
    reply: '$.data.answer',
    session: '$.data.sessionId',
  };
}
