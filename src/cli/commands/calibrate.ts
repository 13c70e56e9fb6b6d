import { DEFAULT_BANK_DIR, loadBanks } from '../../banks/load-banks.js';
import { loadRunConfig } from '../../config/run-config.js';
import type { Judge, JudgeMode } from '../../domain/types.js';
import {
  DEFAULT_CALIBRATION_DIR,
  loadCalibrationSets,
  summarizeCalibration,
  type CalibrationItem,
  type CalibrationOutcome,
  type CalibrationReport,
} from '../../judge/calibration.js';
import type { CascadeJudge } from '../../judge/cascade.js';
import { calibrationRecord } from '../../judge/calibration-record.js';
import { DEFAULT_DB, openStore } from '../../store/index.js';
import { oneLine } from '../../text/sanitize.js';
import { createJudges } from '../../runner/judges.js';

interface CalibrateOptions {
  judge?: JudgeMode;
  bank?: string[];
  set?: string[];
  config?: string;
  json?: boolean;
  /** Also list every item the judge disagreed on. */
  verbose?: boolean;
  /** Record the calibration in the results database, so reports can correct for the judge's errors. */
  save?: boolean;
  db?: string;
}

/** All items judged at once: each judge bounds its own concurrency, and order is kept. */
async function judgeAll(judge: Judge, items: readonly CalibrationItem[]): Promise<CalibrationOutcome[]> {
  return Promise.all(
    items.map(async (item) => ({ item, verdict: await judge.judge({ question: item.question, turn: item.turn, answer: item.answer }) })),
  );
}

/**
 * `govbench calibrate`: how far a judge agrees with gold labels (SPEC §4). One report per judge;
 * `--json` prints the report object (an array of them with `--judge both`).
 */
export async function calibrateCommand(opts: CalibrateOptions, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const config = opts.config ? loadRunConfig(opts.config) : {};
  const banks = loadBanks(opts.bank ?? config.banks ?? [DEFAULT_BANK_DIR]);
  const items = loadCalibrationSets(opts.set ?? [DEFAULT_CALIBRATION_DIR], banks);
  const mode = opts.judge ?? config.judge ?? 'matcher';
  const judges = await createJudges(mode, banks, { ...(config.llm && { llm: config.llm }) });
  const reports: CalibrationReport[] = [];
  const store = opts.save ? openStore(opts.db ?? DEFAULT_DB) : null;
  try {
    for (const judge of judges) {
      const outcomes = await judgeAll(judge, items);
      const report = summarizeCalibration(judge.name, outcomes);
      if (store) {
        const id = store.saveCalibration(calibrationRecord(judge, banks.hash, outcomes));
        process.stderr.write(`saved calibration ${id} of judge ${judge.name} (version ${judge.version.slice(0, 12)}) to ${store.path}\n`);
      }
      // The cascade pays the LLM only for what the matcher was unsure of: say how often that was.
      reports.push('escalated' in judge ? { ...report, llmCalls: (judge as CascadeJudge).escalated } : report);
    }
  } finally {
    store?.close();
  }
  if (opts.json) {
    out(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
    return;
  }
  for (const r of reports) out(`${renderCalibration(r, Boolean(opts.verbose))}\n`);
}

function kindLines(r: CalibrationReport, pct: (x: number) => string): string[] {
  const kinds = Object.entries(r.kinds);
  if (kinds.length <= 1) return [];
  const width = Math.max(...kinds.map(([k]) => k.length));
  return [
    '',
    '  by kind of answer',
    ...kinds
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `  ${k.padEnd(width)}  ${String(v.items).padStart(4)}  agreement ${pct(v.agreement).padStart(6)}  false-pass ${pct(v.falsePass).padStart(6)}  coverage ${pct(v.coverage).padStart(6)}`),
  ];
}

function renderCalibration(r: CalibrationReport, verbose: boolean): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const labels = Object.keys(Object.values(r.verdict.confusion)[0] ?? {});
  const lines = [
    `judge ${r.judge}: ${r.items} gold-labelled answers${r.unjudged ? `, ${r.unjudged} unjudged` : ''}`,
    `  intent   agreement ${pct(r.intent.agreement)}   Cohen's κ ${r.intent.kappa.toFixed(3)}`,
    `  verdict  agreement ${pct(r.verdict.agreement)}   Cohen's κ ${r.verdict.kappa.toFixed(3)}`,
    `  false-pass ${pct(r.falsePass)} (gold incorrect or no-answer judged correct or partial)   false-fail ${pct(r.falseFail)}`,
    `  coverage ${pct(r.coverage)} (not abstained on)   on those ${r.covered.items}: verdict agreement ${pct(r.covered.verdict.agreement)}, ` +
      `κ ${r.covered.verdict.kappa.toFixed(3)}, false-pass ${pct(r.covered.falsePass)}`,
    ...(r.llmCalls !== undefined ? [`  LLM judge asked for ${r.llmCalls} of ${r.items} answers`] : []),
    ...kindLines(r, pct),
    '',
    `  confusion (rows: gold, columns: judge)`,
    `  ${''.padEnd(10)}${labels.map((l) => l.padStart(11)).join('')}`,
    ...Object.entries(r.verdict.confusion).map(([gold, row]) => `  ${gold.padEnd(10)}${labels.map((l) => String(row[l] ?? 0).padStart(11)).join('')}`),
  ];
  if (verbose && r.disagreements.length > 0) {
    lines.push('', `  disagreements (${r.disagreements.length}):`);
    for (const d of r.disagreements) {
      lines.push(
        `  - ${d.at} ${d.question} v${d.variant} t${d.turn}: gold ${d.gold.verdict}/${d.gold.intentRecognized ? 'intent' : 'no intent'}, ` +
          `judge ${d.predicted.verdict}/${d.predicted.intentRecognized ? 'intent' : 'no intent'} — ${oneLine(d.rationale).slice(0, 160)}`,
      );
    }
  }
  return lines.join('\n');
}
