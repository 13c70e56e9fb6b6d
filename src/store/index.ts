import type { Store } from '../domain/types.js';
import { SqliteStore } from './sqlite-store.js';
import type { OpenDatabaseOptions } from './sqlite/open.js';

export { createMemoryStore } from './memory-store.js';

/** Where results go when neither `--db` nor the run config says. */
export const DEFAULT_DB = 'results/govbench.db';

/**
 * Opens the results database at a path (`:memory:` for one that lives as long as the process), creating
 * it unless `existing` is set: a command that only reads results refuses a path with no database.
 */
export function openStore(path: string, opts: OpenDatabaseOptions = {}): Store {
  return new SqliteStore(path, opts);
}
