import { DEFAULT_PROBE_DIR } from '../../banks/load-probes.js';
import { runCommand } from './run.js';

/** `npm start`: the simulated fleet benchmarked end to end with the matcher judge: the banks' scenarios played by the rule citizen, the red-team probes asked. */
export async function demoCommand(opts: { db?: string }): Promise<void> {
  await runCommand({ targets: 'targets/demo.yaml', judge: 'matcher', label: 'demo', scenarios: true, citizen: 'rule', probes: [DEFAULT_PROBE_DIR], ...(opts.db && { db: opts.db }) });
}
