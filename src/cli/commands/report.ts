import { createWriteStream, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { judgeOfRecord } from '../../judge/modes.js';
import { loadReportModel } from '../../reports/from-store.js';
import type { Store } from '../../domain/types.js';
import { DEFAULT_DB, openStore } from '../../store/index.js';
import { UserError } from '../../util/errors.js';

/**
 * The scored model and the HTML report, from one read of the run (scores and worst answers together);
 * a run that kept evidence is read a second time, for every transcript. `reportDir` is where the page
 * will be written, which its screenshot links are relative to.
 */
export async function scoreWithHtml(
  store: Store,
  runId: string,
  scoring?: unknown,
  names?: Parameters<typeof loadReportModel>[3],
  reportDir = process.cwd(),
): Promise<{ model: ReturnType<typeof loadReportModel>; html: string }> {
  const { casesWithTurns, renderHtml, WorstAnswerCollector } = await import('../../reports/html/index.js');
  const worst = new WorstAnswerCollector();
  const model = loadReportModel(store, runId, scoring, names, (records) => worst.tap(records));
  const evidence = model.run.evidence ? casesWithTurns(store, runId, judgeOfRecord(model.run.judge)) : undefined;
  return { model, html: renderHtml(model, { worstAnswers: worst.answers(store, runId), reportDir, ...(evidence && { evidence }) }) };
}

const REPORT_FORMATS = ['md', 'html', 'csv', 'json', 'junit'] as const;
type ReportFormatName = (typeof REPORT_FORMATS)[number];

interface ReportCommandOptions {
  format: ReportFormatName;
  out?: string;
  db?: string;
  /** The four-aspect city report from this score sheet (see report-aspects.ts). */
  aspects?: string;
  config?: string;
  targets?: string[];
}

/**
 * `govbench report`: renders a stored run; never asks a chatbot anything. Row-per-case formats (csv,
 * junit) stream; `csv` with `--out F` also writes one row per target to F's `.targets.csv` sibling.
 */
export async function reportCommand(run: string, opts: ReportCommandOptions): Promise<void> {
  if (opts.aspects) return (await import('./report-aspects.js')).aspectsReportCommand(run, { ...opts, aspects: opts.aspects });
  if (opts.config || opts.targets) throw new UserError('--config and --targets go with --aspects', 'add --aspects FILE.csv, or leave them out');
  const store = openStore(opts.db ?? DEFAULT_DB, { existing: true });
  try {
    const row = store.getRun(run);
    const judge = judgeOfRecord(row.judge);
    const sink: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
    const write = async (chunk: string) => {
      if (!sink.write(chunk)) await once(sink, 'drain');
    };
    switch (opts.format) {
      case 'md':
        await write((await import('../../reports/markdown.js')).renderMarkdown(loadReportModel(store, row.id)));
        break;
      case 'json':
        await write(`${(await import('../../reports/json.js')).renderJson(loadReportModel(store, row.id))}\n`);
        break;
      case 'html': {
        await write((await scoreWithHtml(store, row.id, undefined, undefined, opts.out ? dirname(opts.out) : undefined)).html);
        break;
      }
      case 'csv': {
        const csv = await import('../../reports/csv.js');
        for (const chunk of csv.renderCasesCsv(store, row.id, judge)) await write(chunk);
        if (opts.out) {
          const targetsFile = opts.out.replace(/(\.csv)?$/i, '.targets.csv');
          writeFileSync(targetsFile, csv.renderTargetsCsv(loadReportModel(store, row.id)));
          process.stderr.write(`wrote ${targetsFile}\n`);
        }
        break;
      }
      case 'junit': {
        const { runJunitChunks } = await import('../../reports/junit.js');
        const cases = store.caseRecords(row.id, judge);
        for (const chunk of runJunitChunks({ run: row, targets: store.runTargets(row.id), cases, safety: store.safetyRecords(row.id) })) await write(chunk);
        break;
      }
    }
    if (opts.out) {
      sink.end();
      await once(sink, 'finish');
      process.stderr.write(`wrote ${opts.out}\n`);
    }
  } finally {
    store.close();
  }
}
