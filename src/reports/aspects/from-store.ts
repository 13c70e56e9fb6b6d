import type { HandScores, Store } from '../../domain/types.js';
import { resolveAspectsConfig } from '../../scoring/aspects-config.js';
import { scoreAspects, type AspectsReport, type KnownCity } from '../../scoring/aspects.js';
import { loadReportModel } from '../from-store.js';

interface AspectsReportOptions {
  /** The evaluators' rows, validated against the run's targets and `registry`. */
  rows: readonly HandScores[];
  /** Cities outside the run the rows may name. */
  registry: ReadonlyMap<string, KnownCity>;
  /** The `aspects:` section of the config file (defaults when absent). */
  aspects?: unknown;
  /** The `scoring:` section: the grade bands and the chatbot score's weights. */
  scoring?: unknown;
  /** The score sheet as named on the command line. */
  source: string;
}

/** Scores a stored run and merges it with the evaluators' hand scores into the four-aspect city report. */
export function loadAspectsReport(store: Store, run: string, opts: AspectsReportOptions): AspectsReport {
  const config = resolveAspectsConfig(opts.aspects);
  const model = loadReportModel(store, run, opts.scoring);
  return scoreAspects({ model, rows: opts.rows, registry: opts.registry, config, source: opts.source });
}

export type { KnownCity };
