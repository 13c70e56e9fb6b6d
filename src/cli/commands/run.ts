import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { scoreWithHtml } from './report.js';
import { DEFAULT_BANK_DIR } from '../../banks/load-banks.js';
import { DEFAULT_PROBE_DIR } from '../../banks/load-probes.js';
import { loadRunConfig, type RunConfig } from '../../config/run-config.js';
import { DEFAULT_TARGETS_FILE } from '../../config/load-targets.js';
import type { JudgeMode } from '../../domain/types.js';
import type { RunResult } from '../../runner/run.js';
import { planResume, planRun, type RunPlan, type SessionSettings } from '../../runner/session/plan.js';
import { openRunSession, type RunSession } from '../../runner/session/session.js';
import type { BudgetCaps } from '../../runner/budget.js';
import { costPlanOf, renderCostPlan } from './run-plan.js';
import type { RunSpec } from '../../runner/session/spec.js';
import type { CitizenChoice } from '../../runner/citizens.js';
import type { JudgeUsageRow, Store } from '../../domain/types.js';
import { DEFAULT_DB, openStore } from '../../store/index.js';
import { UserError } from '../../util/errors.js';
import { EXIT } from '../../util/exit-codes.js';
import { createProgressLines } from '../progress-lines.js';
import { renderJson } from '../../reports/json.js';
import { renderAssistantLines } from '../../reports/assistant-lines.js';
import { renderLeaderboard } from '../../reports/leaderboard.js';
import { writeReport } from '../../reports/write.js';

interface RunCommandOptions {
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
  evidence?: boolean;
  aliases?: boolean;
  scenarios?: boolean;
  citizen?: CitizenChoice;
  plan?: boolean;
  maxCost?: number;
  maxCalls?: number;
  /** `--probes` alone: the shipped pack. */
  probes?: string[] | true;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** `govbench run`: plan, ask, judge, store; then a leaderboard (or JSON) and the report files. */
export async function runCommand(flags: RunCommandOptions): Promise<void> {
  const config = flags.config ? loadRunConfig(flags.config) : {};
  const dbPath = flags.db ?? config.db ?? DEFAULT_DB;
  const settings: SessionSettings = {
    ...(config.llm && { llm: config.llm }),
    ...(config.browser && { browser: config.browser }),
    ...(config.concurrency !== undefined && { concurrency: config.concurrency }),
    ...((flags.maxCalls !== undefined || flags.maxCost !== undefined) && { budget: budgetOf(flags, config) }),
  };
  if (flags.plan) {
    if (flags.resume !== undefined) throw new UserError('--plan plans a new run', 'leave out --resume');
    const plan = planRun(specOf(flags, config), settings);
    const cost = costPlanOf(plan, dbPath, settings);
    process.stdout.write(flags.json ? `${JSON.stringify(cost, null, 2)}\n` : renderCostPlan(cost));
    return;
  }
  const { store, plan } = prepare(flags, config, dbPath, settings);
  try {
    if (plan.browser !== null) log(`browser: ${plan.browser}`);
    const session = await openRunSession(store, plan, settings);
    const result = await runWatched(session, flags, dbPath);
    if (result.status === 'interrupted') {
      if (session.stoppedBy !== null) log(`stopped: ${session.stoppedBy}. Raise the cap to go on: govbench run --resume ${result.runId} --db ${dbPath} with a higher --max-calls or --max-cost`);
      log(`interrupted: ${result.done}/${result.planned} cases stored. Finish with: govbench run --resume ${result.runId} --db ${dbPath}`);
      process.exitCode = EXIT.interrupted;
      return;
    }
    await writeReports(store, result.runId, plan, config, flags, dbPath);
  } finally {
    store.close();
  }
}

/**
 * The plan and the store. Every input is checked before the database is touched, so bad input writes
 * nothing; a resume first reads the run it continues, whose recorded options replace the flags.
 */
function prepare(flags: RunCommandOptions, config: RunConfig, dbPath: string, settings: SessionSettings): { store: Store; plan: RunPlan } {
  if (flags.resume !== undefined) {
    const store = openStore(dbPath, { existing: true });
    try {
      return { store, plan: planResume(store, flags.resume, settings) };
    } catch (err) {
      store.close();
      throw err;
    }
  }
  // Planned first: bad input must stop the run before the database is created.
  const plan = planRun(specOf(flags, config), settings);
  return { store: openStore(dbPath), plan };
}

/** A new run's spec: the flags over the config file's defaults. */
function specOf(flags: RunCommandOptions, config: RunConfig): RunSpec {
  const label = flags.label ?? config.label;
  if (flags.citizen !== undefined && !flags.scenarios) throw new UserError('--citizen chooses who plays the scenarios', 'add --scenarios');
  return {
    banks: (flags.bank ?? config.banks ?? [DEFAULT_BANK_DIR]).map((p) => resolve(p)),
    targets: resolve(flags.targets ?? config.targets ?? DEFAULT_TARGETS_FILE),
    target: flags.target ?? config.target ?? [],
    judge: flags.judge ?? config.judge ?? 'matcher',
    repeat: flags.repeat ?? config.repeat ?? 1,
    ...(label !== undefined && { label }),
    ...(flags.evidence && { evidence: true }),
    ...(flags.aliases && { aliases: true }),
    ...(flags.scenarios && { citizen: flags.citizen ?? 'rule' }),
    ...(flags.probes && { probes: (flags.probes === true ? [DEFAULT_PROBE_DIR] : flags.probes).map((p) => resolve(p)) }),
  };
}

/** The caps of `--max-calls` and `--max-cost`; a cost cap needs prices to count in. */
function budgetOf(flags: RunCommandOptions, config: RunConfig): BudgetCaps {
  if (flags.maxCost !== undefined && !config.llm?.pricing) {
    throw new UserError('--max-cost needs the model’s prices', 'set llm.pricing (inputPerMillion, outputPerMillion) in the --config file, or cap calls with --max-calls');
  }
  return { ...(flags.maxCalls !== undefined && { maxCalls: flags.maxCalls }), ...(flags.maxCost !== undefined && { maxCost: flags.maxCost }) };
}

/**
 * Runs the session with a live view in a terminal (progress lines elsewhere); Ctrl-C stops it
 * resumably, a second Ctrl-C quits at once. A bug that fails the run is thrown after saying how the
 * run can be finished once it is fixed.
 */
async function runWatched(session: RunSession, flags: RunCommandOptions, dbPath: string): Promise<RunResult> {
  const onSignal = () => {
    if (session.stopping) process.exit(EXIT.interrupted);
    process.stderr.write('\nstopping: finishing the cases in flight (Ctrl-C again to quit now; resume with --resume)\n');
    session.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const live = process.stdout.isTTY && !flags.json ? (await import('../../tui/live/live-view.js')).startLiveView() : undefined;
  try {
    return await session.run(live?.onEvent ?? createProgressLines(log));
  } catch (err) {
    if (!(err instanceof UserError)) {
      log(`run ${session.runId} failed: govbench hit a bug. The cases finished so far are stored, any that hit it with its stack.`);
      log(`Once it is fixed, finish the run with: govbench run --resume ${session.runId} --db ${dbPath}`);
    }
    throw err;
  } finally {
    live?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session.close();
  }
}

/** The report files beside the database, then the leaderboard (or the JSON report) on stdout. */
async function writeReports(store: Store, runId: string, plan: RunPlan, config: RunConfig, flags: RunCommandOptions, dbPath: string): Promise<void> {
  const dir = dirname(dbPath);
  const { model, html: page } = await scoreWithHtml(store, runId, config.scoring, { matters: plan.banks.matters, intents: plan.banks.intents }, dir);
  const markdown = writeReport(model, join(dir, `${runId}.md`));
  const json = writeReport(model, join(dir, `${runId}.json`));
  const html = join(dir, `${runId}.html`);
  writeFileSync(html, page);
  const usage = store.judgeUsage(runId);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ...(JSON.parse(renderJson(model)) as object), judgeUsage: usage }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`\n${renderLeaderboard(model, { width: process.stdout.columns ?? 100 })}\n`);
  const assistant = renderAssistantLines(model);
  if (assistant !== null) process.stdout.write(`\n${assistant}\n`);
  for (const u of usage) process.stdout.write(`\n${describeUsage(u, config.llm?.pricing)}`);
  process.stdout.write(`\nreport: ${html}\n        ${markdown}\n        ${json}\ndatabase: ${dbPath} (run ${runId})\n`);
}

/** One judge's calls and tokens in a run, with the cost when prices are configured. */
function describeUsage(u: JudgeUsageRow, pricing?: { inputPerMillion: number; outputPerMillion: number; currency?: string }): string {
  const cost = pricing
    ? ` ≈ ${((u.promptTokens * pricing.inputPerMillion + u.completionTokens * pricing.outputPerMillion) / 1e6).toFixed(4)} ${pricing.currency ?? ''}`.trimEnd()
    : '';
  return `judge ${u.judge}: ${u.calls} calls (${u.cached} answered from the cache, ${u.failures} failed), ${u.promptTokens} prompt + ${u.completionTokens} completion tokens${cost}\n`;
}
