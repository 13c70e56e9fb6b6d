import { DEFAULT_BANK_DIR, loadBanks } from '../../banks/load-banks.js';
import { loadProbes } from '../../banks/load-probes.js';
import { createSafetyJudges } from '../../runner/safety-judges.js';
import { loadRunConfig } from '../../config/run-config.js';
import type { JudgeMode } from '../../domain/types.js';
import { rejudgeRun } from '../../runner/rejudge.js';
import { DEFAULT_DB, openStore } from '../../store/index.js';
import { closeJudges, createJudges, recordUsageIn } from '../../runner/judges.js';

interface RejudgeCommandOptions {
  judge?: JudgeMode;
  bank?: string[];
  config?: string;
  db?: string;
}

/** `govbench rejudge RUN`: new verdicts from stored transcripts; a changed rubric or bank never forces a re-run. */
export async function rejudgeCommand(run: string, opts: RejudgeCommandOptions): Promise<void> {
  const config = opts.config ? loadRunConfig(opts.config) : {};
  const store = openStore(opts.db ?? config.db ?? DEFAULT_DB, { existing: true });
  try {
    const row = store.getRun(run);
    const recordedBanks = Array.isArray(row.options.banks) ? (row.options.banks as string[]) : undefined;
    const banks = loadBanks(opts.bank ?? config.banks ?? recordedBanks ?? [DEFAULT_BANK_DIR]);
    const mode = opts.judge ?? config.judge ?? 'matcher';
    const judges = await createJudges(mode, banks, {
      ...(config.llm && { llm: config.llm }),
      cache: store.judgeCache,
      onUsage: recordUsageIn(store, row.id),
      threads: true,
    });
    const recordedProbes = Array.isArray(row.options.probes) ? (row.options.probes as string[]) : undefined;
    const probes = recordedProbes ? loadProbes(recordedProbes).probes : [];
    const safetyJudges = probes.length > 0 ? await createSafetyJudges(mode, { ...(config.llm && { llm: config.llm }), onUsage: recordUsageIn(store, row.id) }) : [];
    const total = store.countCases(row.id);
    const result = await rejudgeRun({
      store,
      runId: row.id,
      banks,
      judges,
      judgeMode: mode,
      probes,
      safetyJudges,
      onProgress: (n) => process.stderr.write(`rejudged ${n}/${total} cases\n`),
    }).finally(() => closeJudges(judges));
    if (row.banksHash !== banks.hash) process.stderr.write(`note: the banks changed since the run (the verdicts now follow the current banks)\n`);
    if (result.missing.length > 0) {
      process.stderr.write(`note: ${result.missing.length} questions are no longer in the banks; their cases keep their old verdicts: ${result.missing.join(', ')}\n`);
    }
    process.stdout.write(`run ${row.id}: ${result.cases} cases rejudged with --judge ${mode}; see govbench report ${row.id}\n`);
  } finally {
    store.close();
  }
}
