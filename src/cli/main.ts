import { Command, Option } from 'commander';
import { handleError } from './handle-error.js';
import { JUDGE_MODES, REGIONS } from '../domain/types.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The command tree. Handlers are imported when their command runs, so `--help` stays fast and
 * LangChain, Playwright and Ink load only when used.
 */
function buildProgram(): Command {
  const program = new Command('govbench')
    .description('Evaluate government-service chatbots on curated question banks')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();

  program
    .command('ui')
    .description('the terminal UI: launch, watch, browse, review, compare (what `govbench` alone opens in a terminal)')
    .option('--db <file>', 'results database (default results/govbench.db)')
    .option('--reviewer <name>', 'who records review decisions')
    .action(async (opts: { db?: string; reviewer?: string }) => {
      const [{ startApp }, { DEFAULT_DB }] = await Promise.all([import('../tui/app.js'), import('../store/index.js')]);
      process.exitCode = await startApp({ db: opts.db ?? DEFAULT_DB, ...(opts.reviewer !== undefined && { reviewer: opts.reviewer }) });
    });

  program
    .command('run')
    .description('ask every target the banks\' questions, judge the answers, store everything')
    .option('--config <file>', 'a govbench config file with defaults for these options')
    .option('--bank <path>', 'bank file or folder (repeatable; default question-banks/matters)', collect)
    .option('--targets <file>', 'targets registry (default targets/demo.yaml)')
    .option('--target <id>', 'only this target (repeatable)', collect)
    .addOption(
      new Option('--judge <judge>', 'matcher (offline, default; unsure cases wait for review), llm, both (LLM counts; disagreements queued), or cascade (LLM only where the matcher is unsure)').choices(JUDGE_MODES),
    )
    .option('--repeat <n>', 'ask each question n times', parsePositive)
    .option('--db <file>', 'results database (default results/govbench.db)')
    .option('--label <text>', 'a label for the run')
    .option('--probes [path...]', 'also ask the red-team probes (files or folders; default question-banks/probes) and score safety')
    .option('--evidence', 'keep a screenshot of every reply of web-widget targets, beside the database under evidence/<run>/')
    .option('--aliases', 'also ask each question that names its matter with the matter named by each of its other names (official name and aliases), scored apart')
    .option('--scenarios', 'also play the banks\' scenarios with simulated citizens (conversation scores, apart from the headline)')
    .addOption(new Option('--citizen <kind>', 'who plays the scenarios: rule (offline, default), llm (the LLM endpoint) or both').choices(['rule', 'llm', 'both']))
    .option('--resume <run>', 'finish an interrupted run without repeating done cases')
    .option('--plan', 'print the cases, model calls, tokens, cost and duration the run would take, and ask nothing')
    .option('--max-calls <n>', 'stop the run (resumably) once its paid model calls (judge, simulated citizen) reach n', parsePositive)
    .option('--max-cost <amount>', 'stop the run (resumably) once its model calls cost this much (needs llm.pricing in --config)', parseAmount)
    .option('--json', 'print the run\'s report as JSON instead of progress and a leaderboard')
    .action(async (opts) => (await import('./commands/run.js')).runCommand(opts));

  program
    .command('report')
    .description('write a run\'s report')
    .argument('[run]', 'run id, or latest', 'latest')
    .addOption(new Option('--format <format>', 'report format').choices(['md', 'html', 'csv', 'json', 'junit']).default('md'))
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--db <file>', 'results database (default results/govbench.db)')
    .option('--aspects <csv>', 'the four-aspect city report (md or html): merge the evaluators\' hand scores (one row per city) with the run\'s chatbot scores')
    .option('--config <file>', 'with --aspects: a govbench config file (aspects weights, scoring grade bands)')
    .option('--targets <file>', 'with --aspects: registry naming cities outside the run (repeatable; default targets/)', collect)
    .action(async (run: string, opts) => (await import('./commands/report.js')).reportCommand(run, opts));

  program
    .command('runs')
    .description('list the runs in a database, newest first')
    .option('--db <file>', 'results database (default results/govbench.db)')
    .option('--json', 'as JSON')
    .action(async (opts) => (await import('./commands/runs.js')).runsCommand(opts));

  program
    .command('compare')
    .description('the regression gate: compare a candidate run (or RUN:TARGET) with a baseline')
    .argument('<baseline>', 'run id, latest, or RUN:TARGET')
    .argument('<candidate>', 'run id, latest, or RUN:TARGET')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json', 'junit']).default('md'))
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--fail-on-regression', 'exit 1 when the candidate is significantly worse or a critical question regressed')
    .option('--alpha <p>', 'significance level of McNemar\'s test (default 0.05)', parseUnit)
    .option('--db <file>', 'results database (default results/govbench.db)')
    .action(async (baseline: string, candidate: string, opts) =>
      (await import('./commands/compare.js')).compareCommand(baseline, candidate, opts),
    );

  program
    .command('trend')
    .description('line up runs (years, months, releases) by target: scores with intervals, significant changes, pain points')
    .argument('<runs...>', 'two or more: run id, latest, or RUN:TARGET, in order')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'html', 'json']).default('md'))
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--alpha <p>', 'significance level of each change (McNemar\'s test; default 0.05)', parseUnit)
    .option('--db <file>', 'results database (default results/govbench.db)')
    .action(async (runs: string[], opts) => (await import('./commands/trend.js')).trendCommand(runs, opts));

  program
    .command('rejudge')
    .description('judge a finished run again from its stored transcripts, asking no chatbot')
    .argument('<run>', 'run id, or latest')
    .addOption(new Option('--judge <judge>', 'the new judge').choices(JUDGE_MODES))
    .option('--bank <path>', 'bank file or folder (repeatable; default: the banks the run used)', collect)
    .option('--config <file>', 'a govbench config file (LLM endpoint)')
    .option('--db <file>', 'results database (default results/govbench.db)')
    .action(async (run: string, opts) => (await import('./commands/rejudge.js')).rejudgeCommand(run, opts));

  program
    .command('review')
    .description('list the turns of a run waiting for review (an unsure judge of record, matcher/LLM disagreements), or record a reviewer\'s decision')
    .argument('[run]', 'run id, or latest', 'latest')
    .option('--case <id>', 'the case to decide', parseInteger)
    .option('--turn <n>', '1-based user turn (multi-turn scripts)', parsePositive)
    .addOption(new Option('--accept <judge>', 'take this judge\'s verdict').choices(['matcher', 'llm']))
    .addOption(new Option('--verdict <verdict>', 'set the verdict').choices(['correct', 'partial', 'incorrect', 'no-answer']))
    .addOption(new Option('--intent <yes|no>', 'with --verdict: was the intent recognized').choices(['yes', 'no']))
    .option('--accuracy <x>', 'with --verdict: accuracy 0–1 (default from the verdict)', parseUnit)
    .option('--note <text>', 'why')
    .option('--reviewer <name>', 'who decided')
    .option('--json', 'list the queue as JSON')
    .option('--db <file>', 'results database (default results/govbench.db)')
    .action(async (run: string, opts) => (await import('./commands/review.js')).reviewCommand(run, opts));

  program
    .command('calibrate')
    .description('measure a judge\'s agreement with gold-labelled answers (Cohen\'s kappa, confusion matrix)')
    .addOption(new Option('--judge <judge>', 'judge to calibrate').choices(JUDGE_MODES))
    .option('--bank <path>', 'bank file or folder (repeatable)', collect)
    .option('--set <file>', 'calibration set file or folder (repeatable; default question-banks/calibration)', collect)
    .option('--config <file>', 'a govbench config file (LLM endpoint)')
    .option('--json', 'print the report as JSON')
    .option('--verbose', 'list every disagreement')
    .option('--save', 'record the calibration in the results database, so reports correct accuracy for the judge\'s errors')
    .option('--db <file>', 'results database for --save (default results/govbench.db)')
    .action(async (opts) => (await import('./commands/calibrate.js')).calibrateCommand(opts));

  program
    .command('validate')
    .description('check banks and target registries; list targets that still lack an endpoint')
    .argument('[paths...]', 'bank or targets files and folders (default: banks and targets/)')
    .action(async (paths: string[]) => (await import('./commands/validate.js')).validateCommand(paths));

  program
    .command('check')
    .description('preflight before a long run: ask each target one question; ready, no-endpoint, unreachable, blocked or no-reply')
    .option('--config <file>', 'a govbench config file (targets, banks, browser)')
    .option('--targets <file>', 'targets registry (default targets/demo.yaml)')
    .option('--target <id>', 'only this target (repeatable)', collect)
    .option('--bank <path>', 'bank file or folder whose first question is asked (repeatable; default question-banks/matters)', collect)
    .option('--question <text>', 'ask this instead of the banks\' first question')
    .option('--json', 'print the statuses as JSON')
    .action(async (opts) => (await import('./commands/check.js')).checkCommand(opts));

  program
    .command('detect')
    .description('find the chat on a portal page by itself, ask one question through it, and print a target stanza')
    .argument('<url>', 'the portal page that offers the chat (智能客服, 在线咨询 …)')
    .option('--question <text>', 'the probe question to ask')
    .option('--id <id>', 'the target id (default: from the host name); with --write, the registry entry to fill in')
    .option('--name <name>', 'the target name (default: the page title)')
    .option('--region <region>', `the target region (${REGIONS.join(', ')})`)
    .option('--write <file>', 'fill in the adapter of entry --id in this registry, keeping the rest of the file as it is')
    .option('--screenshots <dir>', 'where screenshots go (default results/screenshots)')
    .option('--config <file>', 'a govbench config file (browser)')
    .option('--json', 'print the result as JSON')
    .action(async (url: string, opts) => (await import('./commands/detect.js')).detectCommand(url, opts));

  const bank = program.command('bank').description('keep banks current: draft banks from a table, propose variants, show coverage');
  bank
    .command('import')
    .description('draft banks (one YAML per matter) from a CSV or XLSX table of questions and answers')
    .argument('<file>', 'a .csv, .tsv or .xlsx table with question, answer and matter columns (问题 / 答案 / 事项 … too)')
    .option('--matter <id>', 'put every row into one matter with this id (default: one draft per matter, ids spelt in pinyin)')
    .option('--out <dir>', 'folder for the drafts (default question-banks/drafts)')
    .option('--sheet <name>', 'the workbook sheet to read (default: the first with recognised headers)')
    .option('--force', 'replace drafts that already exist')
    .action(async (file: string, opts) => (await import('./commands/bank.js')).bankImportCommand(file, opts));
  bank
    .command('variants')
    .description('propose colloquial, terse and typo (homophone) variants offline; --write adds them to the banks')
    .option('--bank <path>', 'bank file or folder (repeatable; default question-banks/matters)', collect)
    .option('--question <id>', 'only this question (repeatable)', collect)
    .option('--styles <list>', 'comma-separated styles to propose (default colloquial,terse,typo)')
    .option('--write', 'add the proposals to the bank files, keeping their comments and layout')
    .option('--json', 'print the proposals as JSON')
    .action(async (opts) => (await import('./commands/bank.js')).bankVariantsCommand(opts));
  bank
    .command('stats')
    .description('coverage per matter, aspect and variant style; flags what is below target')
    .option('--bank <path>', 'bank file or folder (repeatable; default question-banks/matters)', collect)
    .option('--json', 'print the statistics as JSON')
    .action(async (opts) => (await import('./commands/bank.js')).bankStatsCommand(opts));

  program
    .command('demo-fleet')
    .description('serve the simulated chatbots of targets/demo.yaml on loopback HTTP')
    .option('--port <n>', 'port (default: a free one)', parsePort)
    .option('--targets <file>', 'registry with the simulated targets (default targets/demo.yaml)')
    .option('--bank <path>', 'bank file or folder (repeatable)', collect)
    .option('--seed <n>', 'seed for the personas\' choices', parseInteger)
    .action(async (opts) => (await import('./commands/demo-fleet.js')).demoFleetCommand(opts));

  program
    .command('demo')
    .description('run the built-in demo: the simulated fleet, judged by the matcher (what npm start does)')
    .option('--db <file>', 'results database (default results/govbench.db)')
    .action(async (opts) => (await import('./commands/demo.js')).demoCommand(opts));

  return program;
}

function parsePositive(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArg('expected a whole number ≥ 1');
  return n;
}
function parseAmount(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArg('expected an amount > 0');
  return n;
}
function parseInteger(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArg('expected a whole number');
  return n;
}
function parseUnit(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArg('expected a number from 0 to 1');
  return n;
}
function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArg('expected a port number 0–65535');
  return n;
}

class InvalidArg extends Error {
  override name = 'InvalidArgumentError';
  readonly code = 'commander.invalidArgument';
}

export async function main(argv: string[]): Promise<void> {
  // `govbench … | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const program = buildProgram();
  if (argv.length <= 2) {
    // The UI needs a terminal to draw in and keys to read; anywhere else, help instead of a hang.
    if (process.stdin.isTTY && process.stdout.isTTY) argv = [...argv, 'ui'];
    else {
      program.outputHelp();
      return;
    }
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = handleError(err);
  }
}
