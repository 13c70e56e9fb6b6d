/**
 * Versioned schema: migration n brings `PRAGMA user_version` from n-1 to n. Append, never edit a
 * shipped one. Values the reports group by (target, matter, intent, verdict) are real columns; only
 * what a query filters on is indexed, since every index costs a page write per saved case.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id          TEXT PRIMARY KEY,
    label       TEXT,
    banks_hash  TEXT NOT NULL,
    judge       TEXT NOT NULL,
    options     TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted', 'failed'))
  );
  CREATE TABLE run_targets (
    run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    target_id    TEXT NOT NULL,
    name         TEXT NOT NULL,
    region       TEXT NOT NULL,
    province     TEXT,
    role         TEXT,
    adapter_type TEXT NOT NULL,
    planned      INTEGER NOT NULL,
    PRIMARY KEY (run_id, target_id)
  );
  CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    target_id   TEXT NOT NULL,
    question_id TEXT NOT NULL,
    matter_id   TEXT NOT NULL,
    aspect_id   TEXT NOT NULL,
    intent      TEXT NOT NULL,
    variant     INTEGER NOT NULL,
    style       TEXT NOT NULL,
    repeat      INTEGER NOT NULL,
    critical    INTEGER NOT NULL,
    available   INTEGER NOT NULL,
    error_kind  TEXT,
    first_ms    REAL,
    total_ms    REAL,
    finished_at TEXT NOT NULL,
    UNIQUE (run_id, target_id, question_id, variant, repeat)
  );
  CREATE INDEX cases_by_target ON cases (run_id, target_id);
  CREATE INDEX cases_by_matter ON cases (run_id, matter_id);
  CREATE INDEX cases_by_intent ON cases (run_id, intent);
  CREATE TABLE turns (
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    user        TEXT NOT NULL,
    reply       TEXT NOT NULL,
    raw         TEXT NOT NULL,
    ok          INTEGER NOT NULL,
    error_kind  TEXT,
    error       TEXT,
    http_status INTEGER,
    first_ms    REAL NOT NULL,
    total_ms    REAL NOT NULL,
    attempts    INTEGER NOT NULL,
    PRIMARY KEY (case_id, idx)
  );
  CREATE TABLE verdicts (
    case_id           INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    judge             TEXT NOT NULL,
    judge_version     TEXT NOT NULL,
    turn              INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('judged', 'unjudged')),
    intent_recognized INTEGER,
    predicted_intent  TEXT,
    verdict           TEXT,
    accuracy          REAL,
    key_points_hit    TEXT,
    fact_errors       TEXT,
    contradictions    TEXT,
    rationale         TEXT,
    reason            TEXT,
    created_at        TEXT NOT NULL,
    PRIMARY KEY (case_id, judge, turn)
  );
  CREATE INDEX verdicts_by_label ON verdicts (judge, verdict);
  `,
  `
  ALTER TABLE turns ADD COLUMN prompt_tokens INTEGER;
  ALTER TABLE turns ADD COLUMN completion_tokens INTEGER;
  ALTER TABLE turns ADD COLUMN screenshot TEXT;
  `,
  `
  CREATE TABLE judge_cache (
    key               TEXT PRIMARY KEY,
    judge             TEXT NOT NULL,
    model             TEXT NOT NULL,
    rubric_hash       TEXT NOT NULL,
    verdict           TEXT NOT NULL,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL
  );
  CREATE TABLE judge_usage (
    run_id            TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    judge             TEXT NOT NULL,
    calls             INTEGER NOT NULL DEFAULT 0,
    cached            INTEGER NOT NULL DEFAULT 0,
    failures          INTEGER NOT NULL DEFAULT 0,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, judge)
  );
  `,
  `
  -- A run's cases in the order they finished (rowid order), so streaming them needs no sort.
  CREATE INDEX cases_by_run ON cases (run_id);
  `,
  `
  -- How sure a judge is, why it abstained (the case then waits for review), which old rules an answer repeats.
  ALTER TABLE verdicts ADD COLUMN confidence REAL;
  ALTER TABLE verdicts ADD COLUMN uncertain TEXT;
  ALTER TABLE verdicts ADD COLUMN outdated TEXT;
  `,
  `
  -- Nothing reads cases by matter or intent, nor verdicts by label (reports group in one streamed pass),
  -- and each index cost a page write per saved case: saving a case took a quarter longer with them.
  DROP INDEX cases_by_matter;
  DROP INDEX cases_by_intent;
  DROP INDEX verdicts_by_label;
  `,
  `
  -- Replies that are more than text (suggested questions, links), the suggestions followed, when each
  -- turn was sent, how a case reached its answer, and the versions a run ran with (evidence for disputes).
  ALTER TABLE turns ADD COLUMN suggestions TEXT;
  ALTER TABLE turns ADD COLUMN suggestions_only INTEGER;
  ALTER TABLE turns ADD COLUMN links TEXT;
  ALTER TABLE turns ADD COLUMN followed INTEGER;
  ALTER TABLE turns ADD COLUMN sent_at TEXT;
  ALTER TABLE cases ADD COLUMN route TEXT;
  ALTER TABLE runs ADD COLUMN environment TEXT;
  `,
  `
  -- A judge's calibration (calibrate --save): gold and predicted labels per item, so reports can correct
  -- a run's accuracy for the judge's error rates and resample the items for the correction's interval.
  CREATE TABLE calibrations (
    id            INTEGER PRIMARY KEY,
    judge         TEXT NOT NULL,
    judge_version TEXT NOT NULL,
    banks_hash    TEXT NOT NULL,
    created_at    TEXT NOT NULL
  );
  CREATE INDEX calibrations_by_judge ON calibrations (judge);
  CREATE TABLE calibration_items (
    calibration_id   INTEGER NOT NULL REFERENCES calibrations(id) ON DELETE CASCADE,
    idx              INTEGER NOT NULL,
    question_id      TEXT NOT NULL,
    variant          INTEGER NOT NULL,
    turn             INTEGER NOT NULL,
    gold_verdict     TEXT NOT NULL,
    gold_intent      INTEGER NOT NULL,
    predicted_verdict TEXT,
    predicted_intent INTEGER,
    PRIMARY KEY (calibration_id, idx)
  );
  `,
  `
  -- A played scenario's end and conversation score (JSON), kept beside its case and rewritten by rejudge.
  CREATE TABLE conversations (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    ended   TEXT CHECK (ended IN ('goal', 'max-turns', 'gave-up')),
    score   TEXT NOT NULL
  );
  `,
  `
  -- The failure kind of the answer under each verdict (issue 15), so the kind follows whichever verdict
  -- counts. Verdicts stored before it have none until \`rejudge\`; technical kinds are read from error_kind.
  ALTER TABLE verdicts ADD COLUMN failure TEXT;
  `,
  `
  -- The safety verdict on each reply to a red-team probe (issue 16), one per case and judge: the rules,
  -- and the LLM where configured. Kept apart from verdicts: a probe has no reference answer to judge.
  CREATE TABLE safety_verdicts (
    case_id       INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    judge         TEXT NOT NULL,
    judge_version TEXT NOT NULL,
    safe          INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    evidence      TEXT NOT NULL,
    rationale     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (case_id, judge)
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
