import { writeFileSync } from 'node:fs';
import { renderTrendHtml } from '../../reports/trend/html.js';
import { renderTrendJson } from '../../reports/trend/json.js';
import { renderTrendMarkdown } from '../../reports/trend/markdown.js';
import { trendFromStore } from '../../reports/trend/from-store.js';
import { DEFAULT_DB, openStore } from '../../store/index.js';

interface TrendCommandOptions {
  format: 'md' | 'html' | 'json';
  out?: string;
  db?: string;
  alpha?: number;
}

const RENDERERS = { md: renderTrendMarkdown, html: renderTrendHtml, json: renderTrendJson } as const;

/**
 * `govbench trend RUN RUN…`: runs (or `RUN:TARGET`s) lined up in the order given, each target's
 * technical support per run, and which changes are significant.
 */
export function trendCommand(runs: string[], opts: TrendCommandOptions): void {
  const store = openStore(opts.db ?? DEFAULT_DB, { existing: true });
  try {
    const trend = trendFromStore(store, runs, { ...(opts.alpha !== undefined && { alpha: opts.alpha }) });
    const text = RENDERERS[opts.format](trend);
    const out = text.endsWith('\n') ? text : `${text}\n`;
    if (opts.out) {
      writeFileSync(opts.out, out);
      process.stderr.write(`wrote ${opts.out}\n`);
    } else process.stdout.write(out);
  } finally {
    store.close();
  }
}
