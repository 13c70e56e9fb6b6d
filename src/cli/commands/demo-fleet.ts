import { DEFAULT_BANK_DIR, loadBanks } from '../../banks/load-banks.js';
import { DEFAULT_TARGETS_FILE, loadTargets } from '../../config/load-targets.js';
import { createFleetServer, DEFAULT_FLEET_SEED } from '../../demo/index.js';

interface DemoFleetOptions {
  port?: number;
  targets?: string;
  bank?: string[];
  seed?: number;
}

/** `govbench demo-fleet`: serves the simulated chatbots until interrupted. */
export async function demoFleetCommand(opts: DemoFleetOptions): Promise<void> {
  const banks = loadBanks(opts.bank ?? [DEFAULT_BANK_DIR]);
  const registry = loadTargets(opts.targets ?? DEFAULT_TARGETS_FILE);
  const server = createFleetServer({ registry, banks, seed: opts.seed ?? DEFAULT_FLEET_SEED });
  const { url } = await server.listen(opts.port ?? 0);
  process.stdout.write(`demo fleet: ${server.targetIds.length} simulated targets at ${url}\n`);
  for (const id of server.targetIds) process.stdout.write(`  POST ${url}/targets/${id}/chat\n`);
  process.stdout.write(`stop with Ctrl-C\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
