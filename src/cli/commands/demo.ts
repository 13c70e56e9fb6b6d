import { runCommand } from './run.js';

/** `npm start`: the simulated fleet benchmarked end to end with the matcher judge, the banks' scenarios played by the rule citizen. */
export async function demoCommand(opts: { db?: string }): Promise<void> {
  await runCommand({ targets: 'targets/demo.yaml', judge: 'matcher', label: 'demo', scenarios: true, citizen: 'rule', ...(opts.db && { db: opts.db }) });
}
