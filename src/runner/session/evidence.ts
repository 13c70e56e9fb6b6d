import { dirname, join, resolve } from 'node:path';

/**
 * Where a run keeps its evidence: `evidence/<run id>/` beside its database, where its reports go too,
 * so a report links its screenshots by a short relative path and the folder travels with the results.
 * A database in memory has no folder: the default results folder stands in.
 */
export function evidenceDir(storePath: string, runId: string): string {
  const base = storePath === ':memory:' ? 'results' : dirname(storePath);
  return resolve(join(base, 'evidence', runId));
}
