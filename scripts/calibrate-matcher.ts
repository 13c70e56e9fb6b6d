/**
 * Runs the matcher judge over calibration sets and prints intent / verdict agreement and kappa —
 * overall, and for the two halves used to tune and to check the thresholds (a fixed hash split, so
 * the held-out half stays held out).
 *
 *   npx tsx scripts/calibrate-matcher.ts [--bank PATH]… [--set PATH]… [--verbose] [--json]
 */
import { parseArgs } from 'node:util';
import { DEFAULT_BANK_DIR, loadBanks } from '../src/banks/load-banks.js';
import {
  calibrationHalf,
  DEFAULT_CALIBRATION_DIR,
  loadCalibrationSets,
  runCalibration,
  summarizeCalibration,
  type CalibrationOutcome,
  type CalibrationReport,
} from '../src/judge/calibration.js';
import { createMatcherJudge } from '../src/judge/matcher/index.js';

const { values } = parseArgs({
  options: {
    bank: { type: 'string', multiple: true },
    set: { type: 'string', multiple: true },
    verbose: { type: 'boolean', default: false },
    /** With --verbose: list the disagreements of this half only (tune while writing rules). */
    split: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const splitOf = (o: CalibrationOutcome) => calibrationHalf(o.item);

const banks = loadBanks(values.bank ?? [DEFAULT_BANK_DIR]);
const items = loadCalibrationSets(values.set ?? [DEFAULT_CALIBRATION_DIR], banks);
const judge = createMatcherJudge(banks);
const outcomes = await runCalibration(judge, items);
const all = summarizeCalibration(judge.name, outcomes);
const tune = summarizeCalibration(judge.name, outcomes.filter((o) => splitOf(o) === 'tune'));
const check = summarizeCalibration(judge.name, outcomes.filter((o) => splitOf(o) === 'check'));

if (values.json) {
  console.log(JSON.stringify({ version: judge.version, all, tune, check }, null, 2));
} else {
  const line = (name: string, r: CalibrationReport) =>
    `${name.padEnd(6)} items ${String(r.items).padStart(4)}  intent agreement ${pct(r.intent.agreement)} κ ${r.intent.kappa.toFixed(3)}  ` +
    `verdict agreement ${pct(r.verdict.agreement)} κ ${r.verdict.kappa.toFixed(3)}  false-pass ${pct(r.falsePass)}  ` +
    `coverage ${pct(r.coverage)}  covered agreement ${pct(r.covered.verdict.agreement)} false-pass ${pct(r.covered.falsePass)}`;
  console.log(`matcher ${judge.version}`);
  console.log(line('all', all));
  console.log(line('tune', tune));
  console.log(line('check', check));
  console.log('\nverdict confusion (gold → predicted):');
  const cols = Object.keys(Object.values(all.verdict.confusion)[0] ?? {});
  console.log(`${''.padEnd(10)}${cols.map((c) => c.padStart(10)).join('')}`);
  for (const [gold, row] of Object.entries(all.verdict.confusion)) {
    console.log(`${gold.padEnd(10)}${cols.map((c) => String(row[c] ?? 0).padStart(10)).join('')}`);
  }
  if (values.verbose) {
    console.log('\ndisagreements:');
    const half = new Map(outcomes.map((o) => [o.item, splitOf(o)]));
    const halfAt = new Map(outcomes.map((o) => [`${o.item.pos.file}:${o.item.pos.line}:${o.item.pos.column}`, half.get(o.item)]));
    for (const d of all.disagreements) {
      if (values.split && halfAt.get(d.at) !== values.split) continue;
      console.log(
        `[${halfAt.get(d.at)}] ${d.at}  ${d.question}${d.variant ? ` v${d.variant}` : ''} t${d.turn}  gold ${d.gold.verdict}/${d.gold.intentRecognized}  ` +
          `got ${d.predicted.verdict}/${d.predicted.intentRecognized}  — ${d.rationale}`,
      );
    }
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`.padStart(6);
}
