import { writeFileSync } from 'node:fs';
import { loadReportModel } from '../../reports/from-store.js';
import { renderJson, renderMarkdown } from '../../reports/index.js';
import { DEFAULT_DB, SqliteStore } from '../../store/sqlite-store.js';

export interface ReportCommandOptions {
  format: 'md' | 'json';
  out?: string;
  db?: string;
}

const RENDERERS = { md: renderMarkdown, json: renderJson } as const;

/** `govbench report`: renders a stored run; never asks a chatbot anything. */
export function reportCommand(run: string, opts: ReportCommandOptions): void {
  const store = new SqliteStore(opts.db ?? DEFAULT_DB);
  try {
    const model = loadReportModel(store, run);
    const text = RENDERERS[opts.format](model);
    if (opts.out) {
      writeFileSync(opts.out, text);
      process.stderr.write(`wrote ${opts.out}\n`);
    } else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  } finally {
    store.close();
  }
}
