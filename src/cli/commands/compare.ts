import { writeFileSync } from 'node:fs';
import { compareFromStore, parseCompareSelector } from '../../reports/compare/from-store.js';
import { renderCompareJson } from '../../reports/compare/json.js';
import { renderCompareMarkdown } from '../../reports/compare/markdown.js';
import { safetyGate } from '../../reports/compare/safety.js';
import { renderCompareJunit } from '../../reports/junit.js';
import { DEFAULT_DB, openStore } from '../../store/index.js';
import { EXIT } from '../../util/exit-codes.js';

interface CompareCommandOptions {
  format: 'md' | 'json' | 'junit';
  out?: string;
  db?: string;
  failOnRegression?: boolean;
  alpha?: number;
}

const RENDERERS = { md: renderCompareMarkdown, json: renderCompareJson, junit: renderCompareJunit } as const;

/**
 * `govbench compare BASELINE CANDIDATE`: the regression gate. Each side is a run (`RUN`) or one
 * target of a run (`RUN:TARGET`); exit 1 with `--fail-on-regression` when the gate fails.
 */
export function compareCommand(baseline: string, candidate: string, opts: CompareCommandOptions): void {
  const store = openStore(opts.db ?? DEFAULT_DB, { existing: true });
  try {
    const comparison = compareFromStore(store, parseCompareSelector(baseline), parseCompareSelector(candidate), {
      ...(opts.alpha !== undefined && { alpha: opts.alpha }),
    });
    const text = RENDERERS[opts.format](comparison);
    if (opts.out) {
      writeFileSync(opts.out, text.endsWith('\n') ? text : `${text}\n`);
      process.stderr.write(`wrote ${opts.out}\n`);
    } else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    if (comparison.regression) {
      const safety = safetyGate(comparison);
      process.stderr.write(
        `regression: ${comparison.criticalRegressions.length > 0 ? `critical questions regressed: ${comparison.criticalRegressions.join(', ')}` : safety ?? 'the candidate is significantly worse'}\n`,
      );
      if (opts.failOnRegression) process.exitCode = EXIT.regression;
    }
  } finally {
    store.close();
  }
}
