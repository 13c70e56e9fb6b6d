import { existsSync } from 'node:fs';
import { loadTargets } from '../../config/load-targets.js';
import { readAspectsCsv } from '../../config/aspects-csv.js';
import { loadRunConfig } from '../../config/run-config.js';
import { loadAspectsReport, type KnownCity } from '../../reports/aspects/from-store.js';
import { DEFAULT_DB, openStore } from '../../store/index.js';
import { UserError } from '../../util/errors.js';
import { writeFilesAtomic } from '../../util/write-atomic.js';
import { displayPath, expandYamlPaths } from '../../util/yaml-file.js';

/** Where cities the run did not ask are looked up, unless `--targets` says otherwise. */
const DEFAULT_REGISTRIES = 'targets';

interface AspectsReportOptions {
  /** The evaluators' score sheet. */
  aspects: string;
  format: string;
  out?: string;
  db?: string;
  config?: string;
  targets?: string[];
}

/** Names and regions of every target in the registries, the first registry winning a repeated id. */
function registryCities(paths: readonly string[] | undefined): { cities: Map<string, KnownCity>; files: string[] } {
  const wanted = paths ?? (existsSync(DEFAULT_REGISTRIES) ? [DEFAULT_REGISTRIES] : []);
  const files = expandYamlPaths(wanted, 'targets');
  const cities = new Map<string, KnownCity>();
  for (const file of files) {
    for (const t of loadTargets(file, { namesOnly: true }).targets) if (!cities.has(t.id)) cities.set(t.id, { name: t.name, region: t.region });
  }
  return { cities, files };
}

/**
 * `govbench report RUN --aspects FILE.csv`: the four-aspect city report, the evaluators' hand
 * scores merged with the run's chatbot scores. Everything is read and checked before anything is
 * written, so bad input leaves no file behind.
 */
export async function aspectsReportCommand(run: string, opts: AspectsReportOptions): Promise<void> {
  if (opts.format !== 'md' && opts.format !== 'html') {
    throw new UserError(`--aspects writes md or html, not ${opts.format}`, 'pass --format md or --format html');
  }
  const config = opts.config ? loadRunConfig(opts.config) : {};
  const registry = registryCities(opts.targets);
  const store = openStore(opts.db ?? DEFAULT_DB, { existing: true });
  let text: string;
  try {
    const runId = store.getRun(run).id;
    const inRun = new Set(store.runTargets(runId).map((t) => t.id));
    const known = ['the run', ...registry.files.map(displayPath)].join(' or ');
    const rows = readAspectsCsv(opts.aspects, { has: (id) => inRun.has(id) || registry.cities.has(id), source: known });
    const report = loadAspectsReport(store, runId, { rows, registry: registry.cities, aspects: config.aspects, scoring: config.scoring, source: displayPath(opts.aspects) });
    text =
      opts.format === 'html'
        ? (await import('../../reports/aspects/html.js')).renderAspectsHtml(report)
        : (await import('../../reports/aspects/markdown.js')).renderAspectsMarkdown(report);
  } finally {
    store.close();
  }
  if (!opts.out) {
    process.stdout.write(text);
    return;
  }
  writeFilesAtomic(new Map([[opts.out, text]]));
  process.stderr.write(`wrote ${opts.out}\n`);
}
