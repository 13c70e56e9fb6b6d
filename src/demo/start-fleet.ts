import type { TargetRegistry } from '../config/load-targets.js';
import type { BankSet, Target } from '../domain/types.js';
import { simulatedAdapterConfig } from './adapter-config.js';
import { createFleetServer } from './fleet-server.js';

export interface StartedFleet {
  /** The targets to run, simulated ones pointed at the fleet as http-json targets. */
  targets: Target[];
  close(): Promise<void>;
}

/**
 * Simulated targets are reached over HTTP like any city: those with a `fleet` URL use it; for the
 * rest a fleet is started in this process on a free loopback port, for the length of the run.
 */
export async function startFleetFor(selected: Target[], registry: TargetRegistry, banks: BankSet): Promise<StartedFleet> {
  const needsLocal = selected.some((t) => t.adapter?.type === 'simulated' && !t.adapter.fleet);
  const hasSimulated = selected.some((t) => t.adapter?.type === 'simulated');
  if (!hasSimulated) return { targets: selected, close: async () => {} };
  let localUrl = '';
  let close = async () => {};
  if (needsLocal) {
    const server = createFleetServer({ registry, banks });
    localUrl = (await server.listen(0)).url;
    close = () => server.close();
  }
  const targets = selected.map((t) =>
    t.adapter?.type === 'simulated' ? { ...t, adapter: simulatedAdapterConfig(t, t.adapter.fleet ?? localUrl) } : t,
  );
  return { targets, close };
}
