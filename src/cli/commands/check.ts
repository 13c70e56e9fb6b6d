import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_BANK_DIR, loadBanks } from '../../banks/load-banks.js';
import { DEFAULT_TARGETS_FILE, loadTargets, selectTargets } from '../../config/load-targets.js';
import { loadRunConfig } from '../../config/run-config.js';
import type { BankSet } from '../../domain/types.js';
import { renderCheckJson, renderCheckTable } from '../../reports/check-table.js';
import { checkQuestion, checkTargets } from '../../runner/check-targets.js';
import { DEFAULT_DB } from '../../store/index.js';
import { UserError } from '../../util/errors.js';
import { EXIT } from '../../util/exit-codes.js';

interface CheckCommandOptions {
  config?: string;
  bank?: string[];
  targets?: string;
  target?: string[];
  question?: string;
  json?: boolean;
}

/**
 * `govbench check`: the preflight before a long run. Each selected target of the registry `run` would
 * use is asked one question — `--question`, else the first question of the banks `run` would load, so
 * the check asks what a run asks — and gets one status. Exit 0 when all are ready, 1 otherwise.
 */
export async function checkCommand(flags: CheckCommandOptions): Promise<void> {
  const config = flags.config ? loadRunConfig(flags.config) : {};
  const registry = loadTargets(resolve(flags.targets ?? config.targets ?? DEFAULT_TARGETS_FILE));
  const ids = flags.target ?? config.target ?? [];
  const targets = selectTargets(registry, ids.length > 0 ? ids : undefined);
  if (targets.length === 0) throw new UserError(`${registry.file}: no targets selected`);
  const banks = loadCheckBanks(flags.bank ?? config.banks);
  if (!banks && targets.some((t) => t.adapter?.type === 'simulated')) {
    throw new UserError(`no banks in ${DEFAULT_BANK_DIR}: simulated targets answer from them`, 'pass --bank, or leave the simulated targets out');
  }
  const question = flags.question ?? checkQuestion(banks);
  if (question.trim() === '') throw new UserError('--question is empty; expected the text to ask every target');
  if (!flags.json) process.stderr.write(`checking ${targets.length} targets of ${registry.file}\n`);
  // Beside the database, where a run's evidence goes too.
  const evidence = { dir: join(dirname(config.db ?? DEFAULT_DB), 'check') };
  const checks = await checkTargets(targets, { question, registry, banks, evidence, ...(config.browser && { chromium: config.browser }) });
  process.stdout.write(flags.json ? renderCheckJson(checks) : renderCheckTable(checks, process.stdout.columns ?? 100));
  process.exitCode = checks.every((c) => c.status === 'ready') ? EXIT.done : EXIT.notReady;
}

/** Banks named by `--bank` or the config must load; the default folder may simply be absent. */
function loadCheckBanks(paths: string[] | undefined): BankSet | null {
  if (paths) return loadBanks(paths.map((p) => resolve(p)));
  return existsSync(DEFAULT_BANK_DIR) ? loadBanks([DEFAULT_BANK_DIR]) : null;
}
