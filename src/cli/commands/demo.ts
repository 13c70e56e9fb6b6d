import { runCommand } from './run.js';

/** `npm start`: the simulated fleet benchmarked end to end with the matcher judge. */
export async function demoCommand(opts: { db?: string }): Promise<void> {
  await runCommand({ targets: 'targets/demo.yaml', judge: 'matcher', label: 'demo', ...(opts.db && { db: opts.db }) });
}
