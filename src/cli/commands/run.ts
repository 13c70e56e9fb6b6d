import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { scoreWithHtml } from './report.js';
import { DEFAULT_BANK_DIR, loadBanks } from '../../banks/load-banks.js';
import { loadRunConfig } from '../../config/run-config.js';
import { locateChromium } from '../../adapters/utils/chromium.js';
import { DEFAULT_TARGETS_FILE, loadTargets, selectTargets } from '../../config/load-targets.js';
import { runBenchmark } from '../../runner/run.js';
import { DEFAULT_DB, openStore } from '../../store/index.js';
import type { JudgeUsageRow } from '../../domain/types.js';
import { UserError } from '../../util/errors.js';
import { EXIT } from '../main.js';
import { closeJudges, createJudges, recordUsageIn } from '../../runner/judges.js';
import type { JudgeMode } from '../../domain/types.js';
import { newRunId } from '../../runner/run.js';
import { createProgressLines } from '../progress-lines.js';
import { startFleetFor } from '../../demo/start-fleet.js';
import { renderJson } from '../../reports/json.js';
import { renderLeaderboard } from '../../reports/leaderboard.js';
import { writeReport } from '../../reports/write.js';

export interface RunCommandOptions {
  config?: string;
  bank?: string[];
  targets?: string;
  target?: string[];
  judge?: JudgeMode;
  repeat?: number;
  db?: string;
  label?: string;
  resume?: string;
  json?: boolean;
}

/** `govbench run`: plan, ask, judge, store; then a leaderboard (or JSON) and the report files. */
export async function runCommand(flags: RunCommandOptions): Promise<void> {
  const config = flags.config ? loadRunConfig(flags.config) : {};
  const dbPath = flags.db ?? config.db ?? DEFAULT_DB;
  // A resume replays what the run was started with; flags cannot change its plan.
  const recorded = flags.resume ? recordedOptions(dbPath, flags.resume) : {};
  const opts: RecordedOptions = {
    banks: recorded.banks ?? (flags.bank ?? config.banks ?? [DEFAULT_BANK_DIR]).map((p) => resolve(p)),
    targets: recorded.targets ?? resolve(flags.targets ?? config.targets ?? DEFAULT_TARGETS_FILE),
    target: recorded.target ?? flags.target ?? config.target ?? [],
    judge: recorded.judge ?? flags.judge ?? config.judge ?? 'matcher',
    repeat: recorded.repeat ?? flags.repeat ?? config.repeat ?? 1,
  };
  // Every input is checked before the database is touched: bad input writes nothing.
  const banks = loadBanks(opts.banks);
  const registry = loadTargets(opts.targets);
  const selected = selectTargets(registry, opts.target.length > 0 ? opts.target : undefined);
  const unconfigured = selected.filter((t) => !t.adapter);
  if (unconfigured.length > 0) {
    throw new UserError(
      `${registry.file}: no endpoint configured for ${unconfigured.map((t) => t.id).join(', ')}`,
      'fill in adapter.url and adapter.reply, or pick targets with --target',
    );
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (selected.some((t) => t.adapter?.type === 'web-widget')) {
    // Throws, before the database is touched, when there is no browser at all.
    log(`browser: ${locateChromium(config.browser).label}`);
  }
  const store = openStore(dbPath);
  try {
    const runId = flags.resume ? store.getRun(flags.resume).id : newRunId();
    const judges = await createJudges(opts.judge, banks, {
      ...(config.llm && { llm: config.llm }),
      cache: store.judgeCache,
      onUsage: recordUsageIn(store, runId),
      threads: true,
    });
    const fleet = await startFleetFor(selected, registry, banks);
    const controller = new AbortController();
    const onSigint = () => {
      if (controller.signal.aborted) process.exit(EXIT.interrupted);
      process.stderr.write('\nstopping: finishing the cases in flight (Ctrl-C again to quit now; resume with --resume)\n');
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    const live = process.stdout.isTTY && !flags.json ? (await import('../../tui/live/live-view.js')).startLiveView() : undefined;
    let result;
    try {
      result = await runBenchmark({
        store,
        banks,
        targets: fleet.targets,
        judges,
        judgeMode: opts.judge,
        repeat: opts.repeat,
        ...(flags.label !== undefined || config.label !== undefined ? { label: flags.label ?? config.label } : {}),
        ...(config.concurrency !== undefined && { concurrency: config.concurrency }),
        ...(config.browser && { browser: config.browser }),
        ...(flags.resume !== undefined ? { resume: runId } : { runId }),
        recorded: { ...opts },
        signal: controller.signal,
        onEvent: live?.onEvent ?? createProgressLines(log),
      });
    } finally {
      live?.stop();
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      await fleet.close();
      await closeJudges(judges);
    }
    if (result.status === 'interrupted') {
      log(`interrupted: ${result.done}/${result.planned} cases stored. Finish with: govbench run --resume ${result.runId} --db ${dbPath}`);
      process.exitCode = EXIT.interrupted;
      return;
    }
    const { model, html: page } = await scoreWithHtml(store, result.runId, config.scoring, { matters: banks.matters, intents: banks.intents });
    const dir = dirname(dbPath);
    const markdown = writeReport(model, join(dir, `${result.runId}.md`));
    const json = writeReport(model, join(dir, `${result.runId}.json`));
    const html = join(dir, `${result.runId}.html`);
    writeFileSync(html, page);
    const usage = store.judgeUsage(result.runId);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ ...(JSON.parse(renderJson(model)) as object), judgeUsage: usage }, null, 2)}\n`);
      return;
    }
    process.stdout.write(`\n${renderLeaderboard(model, { width: process.stdout.columns ?? 100 })}\n`);
    for (const u of usage) process.stdout.write(`\n${describeUsage(u, config.llm?.pricing)}`);
    process.stdout.write(`\nreport: ${html}\n        ${markdown}\n        ${json}\ndatabase: ${dbPath} (run ${result.runId})\n`);
  } finally {
    store.close();
  }
}

/** One judge's calls and tokens in a run, with the cost when prices are configured. */
export function describeUsage(u: JudgeUsageRow, pricing?: { inputPerMillion: number; outputPerMillion: number; currency?: string }): string {
  const cost = pricing
    ? ` ≈ ${((u.promptTokens * pricing.inputPerMillion + u.completionTokens * pricing.outputPerMillion) / 1e6).toFixed(4)} ${pricing.currency ?? ''}`.trimEnd()
    : '';
  return `judge ${u.judge}: ${u.calls} calls (${u.cached} answered from the cache, ${u.failures} failed), ${u.promptTokens} prompt + ${u.completionTokens} completion tokens${cost}\n`;
}

function recordedOptions(dbPath: string, run: string): Partial<RecordedOptions> {
  if (!existsSync(dbPath)) throw new UserError(`${dbPath}: no such database, so no run to resume`, 'pass the --db the run used');
  const store = openStore(dbPath);
  try {
    return store.getRun(run).options as Partial<RecordedOptions>;
  } finally {
    store.close();
  }
}

/** What a run records and a resume replays. */
interface RecordedOptions {
  banks: string[];
  targets: string;
  target: string[];
  judge: JudgeMode;
  repeat: number;
}
