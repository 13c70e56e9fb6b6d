import { DEFAULT_DB, openStore } from '../../store/index.js';
import { oneLine } from '../../text/sanitize.js';

/** `govbench runs`: the runs of a database, newest first, with how far each got. */
export function runsCommand(opts: { db?: string; json?: boolean }, out: (s: string) => void = (s) => process.stdout.write(s)): void {
  const store = openStore(opts.db ?? DEFAULT_DB, { existing: true });
  try {
    const runs = store.listRuns().map((r) => ({
      ...r,
      cases: store.countCases(r.id),
      planned: store.runTargets(r.id).reduce((n, t) => n + t.planned, 0),
    }));
    if (opts.json) {
      out(`${JSON.stringify(runs, null, 2)}\n`);
      return;
    }
    if (runs.length === 0) out(`${store.path}: no runs yet\n`);
    for (const r of runs) {
      out(`${r.id}  ${r.status.padEnd(11)} ${`${r.cases}/${r.planned}`.padStart(13)} cases  judge ${r.judge.padEnd(7)} ${r.startedAt}  ${oneLine(r.label ?? '')}\n`);
    }
  } finally {
    store.close();
  }
}
