/** The simulated demo fleet (SPEC §3 `simulated`): fictional city chatbots served over HTTP on loopback. */
export { simulatedAdapterConfig } from './adapter-config.js';
export { createFleetServer, DEFAULT_FLEET_SEED, type FleetServer } from './fleet-server.js';
