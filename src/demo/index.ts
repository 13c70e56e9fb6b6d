/** The simulated demo fleet (SPEC §3 `simulated`): fictional city chatbots served over HTTP on loopback. */
export { simulatedAdapterConfig } from './adapter-config.js';
export { createFleetServer, DEFAULT_FLEET_SEED, type FleetServer, type FleetServerOptions } from './fleet-server.js';
export { REPLY_KINDS, type ReplyKind, type ReplyTrace } from './persona-reply.js';
export { startFleetFor, type StartedFleet } from './start-fleet.js';
