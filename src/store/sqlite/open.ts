import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../../util/errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

/** How long a write waits for another process holding the database (two runs on one file). */
const BUSY_TIMEOUT_MS = 10_000;

export interface OpenDatabaseOptions {
  /** A command that only reads results refuses a path with no database rather than creating one. */
  existing?: boolean;
  /** How long to wait for another process holding the file (tests shorten it). @default 10 s */
  busyTimeoutMs?: number;
}

/**
 * Opens (or creates) a results database in WAL mode at the latest schema. Whatever is wrong with the
 * file — not a database, a newer schema, held by another process too long — is a user error naming it.
 */
export function openDatabase(path: string, opts: OpenDatabaseOptions = {}): Database.Database {
  if (opts.existing && path !== ':memory:' && !existsSync(path)) {
    throw new UserError(`${path}: no such database`, 'pass the --db a run wrote to (default results/govbench.db)');
  }
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const busyMs = opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: busyMs });
    // Read before anything is written: switching to WAL rewrites the header of a file we may refuse.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new UserError(
        `${path}: written by a newer govbench (schema ${version}; this one knows up to ${SCHEMA_VERSION})`,
        'upgrade govbench or pass another --db file',
      );
    }
    enableWal(db, busyMs);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    if (version < SCHEMA_VERSION) migrate(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof UserError) throw err;
    if (isBusy(err)) {
      throw new UserError(`${path}: locked by another process for over ${busyMs / 1000} s`, 'try again when it is done', { cause: err });
    }
    throw new UserError(`${path}: not a govbench database (${(err as Error).message})`, 'pass another --db file', { cause: err });
  }
}

/**
 * Brings the schema up to date one migration at a time. Two runs may open a new database at once: each
 * step takes the write lock before reading the version, so the second waits and then finds the step done
 * instead of creating tables twice.
 */
function migrate(db: Database.Database): void {
  const step = db.transaction((): boolean => {
    const v = db.pragma('user_version', { simple: true }) as number;
    if (v >= SCHEMA_VERSION) return false;
    db.exec(MIGRATIONS[v]!);
    // PRAGMA takes no bound parameters; v is our own counter.
    db.pragma(`user_version = ${v + 1}`);
    return true;
  });
  for (let more = true; more; ) more = step.immediate();
}

function isBusy(err: unknown): boolean {
  return String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY');
}

/**
 * Switches a new file to WAL. Two processes creating the same database race for it, and the loser gets
 * SQLITE_BUSY at once, without the busy timeout (SQLite does not wait on a lock upgrade that could
 * deadlock), so it tries again until the timeout.
 */
function enableWal(db: Database.Database, busyMs: number): void {
  const until = Date.now() + busyMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() > until) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}
