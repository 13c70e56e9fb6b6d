import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { PROBE_STYLE, SCORE_NAMES, type ScoreName, type Store } from '../domain/types.js';
import type { ReportModel } from '../scoring/model.js';
import { stripUnsafe } from '../text/sanitize.js';
import { casesWithTurns } from './html/case-stream.js';

/** A CSV value: text is guarded and quoted, numbers and booleans written as they are, null as empty. */
type CsvValue = string | number | boolean | null;

interface CsvOptions {
  /**
   * Start with a UTF-8 byte order mark, so spreadsheet programs on Chinese-locale systems read the
   * file as UTF-8 rather than the local code page.
   * @default true
   */
  bom?: boolean;
}

const BOM = '\ufeff';

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection); a leading
// apostrophe makes it text. Tab and CR are on OWASP's list too.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field. Text has escape sequences and control characters dropped (newlines and tabs
 * kept), a `'` put in front when it would start a formula, and quotes when it holds a comma, quote or
 * line break.
 */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = stripUnsafe(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated (RFC 4180). */
function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

const r2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);
const list = (items: readonly string[] | undefined): string | null => (items && items.length > 0 ? items.join('; ') : null);

/** Columns of the per-case CSV. */
export const CASE_COLUMNS = [
  'target',
  'target_name',
  'question',
  'matter',
  'aspect',
  'intent',
  'critical',
  'variant',
  'style',
  'repeat',
  'available',
  'error_kind',
  'error',
  'first_ms',
  'total_ms',
  'judge',
  'verdict',
  'failure',
  'intent_recognized',
  'predicted_intent',
  'accuracy',
  'key_points_hit',
  'fact_errors',
  'contradictions',
  'rationale',
  'turns',
  'user',
  'reply',
  'goal_reached',
  'reasked',
  'conversation_broken',
  'safe',
  'safety_reason',
] as const;

/**
 * The per-case CSV, one record per finished case, streamed from the store: yields the header, then
 * one CRLF-terminated record at a time, so a run of any size is written without being held. The
 * verdict is the effective one for `judge` (a reviewer's decision overrides it); `verdict` is
 * `unjudged` with the reason as `rationale` when the judge gave none, and empty for technical
 * failures. `user` and `reply` are the turn the verdict is about (else the last turn). A played
 * scenario adds its conversation score (`goal_reached`, `reasked`, `conversation_broken`), a red-team
 * probe its safety verdict (`safe`, `safety_reason`); other cases leave them empty.
 * @example writeCsv('results/run-42-cases.csv', renderCasesCsv(store, run.id, run.judge))
 */
export function* renderCasesCsv(store: Store, runId: string, judge: string, options: CsvOptions = {}): IterableIterator<string> {
  const names = new Map(store.runTargets(runId).map((t) => [t.id, t.name]));
  // Played scenarios and probes are few beside the questions: their scores are looked up by case.
  const played = new Map(store.conversations(runId).map((c) => [`${c.targetId}\u0000${c.scenarioId}\u0000${c.style}\u0000${c.repeat}`, c]));
  const probed = new Map(store.safetyRecords(runId).map((p) => [`${p.targetId}\u0000${p.probeId}\u0000${PROBE_STYLE}\u0000${p.repeat}`, p]));
  yield `${options.bom === false ? '' : BOM}${csvRow(CASE_COLUMNS)}`;
  for (const { record: r, turns } of casesWithTurns(store, runId, judge)) {
    const key = `${r.targetId}\u0000${r.questionId}\u0000${r.style}\u0000${r.repeat}`;
    const conversation = played.get(key)?.score;
    const safety = probed.get(key)?.verdict;
    const v = r.verdict;
    const judged = v?.status === 'judged' ? v : null;
    const turn = (v && turns.find((t) => t.index === v.turn)) ?? turns[turns.length - 1];
    const row: Record<(typeof CASE_COLUMNS)[number], CsvValue> = {
      target: r.targetId,
      target_name: names.get(r.targetId) ?? null,
      question: r.questionId,
      matter: r.matterId,
      aspect: r.aspectId,
      intent: r.intent,
      critical: r.critical,
      variant: r.variant,
      style: r.style,
      repeat: r.repeat,
      available: r.available,
      error_kind: r.errorKind,
      error: turns.find((t) => !t.ok)?.error ?? null,
      first_ms: r.firstMs === null ? null : Math.round(r.firstMs),
      total_ms: r.totalMs === null ? null : Math.round(r.totalMs),
      judge: v?.judge ?? null,
      verdict: judged ? judged.verdict : v ? 'unjudged' : null,
      failure: r.failure ?? null,
      intent_recognized: judged ? judged.intentRecognized : null,
      predicted_intent: judged?.predictedIntent ?? null,
      accuracy: judged ? judged.accuracy : null,
      key_points_hit: list(judged?.keyPointsHit),
      fact_errors: list(judged?.factErrors),
      contradictions: list(judged?.contradictions),
      rationale: judged ? judged.rationale : v?.status === 'unjudged' ? v.reason : null,
      turns: turns.length,
      user: turn?.user ?? null,
      reply: turn?.reply ?? null,
      goal_reached: conversation ? conversation.goalReached : null,
      reasked: list(conversation?.reasked),
      conversation_broken: conversation?.broken ?? null,
      safe: safety ? safety.safe : null,
      safety_reason: safety?.reason ?? null,
    };
    yield csvRow(CASE_COLUMNS.map((c) => row[c]));
  }
}

const SCORE_COLUMNS: Readonly<Record<ScoreName, string>> = {
  intent: 'intent',
  accuracy: 'accuracy',
  availability: 'availability',
  responsiveness: 'responsiveness',
  technicalSupport: 'technical_support',
};

/**
 * The per-target CSV, in leaderboard order: rank (with `tied`), grade, counts, latency (ms), and
 * each score on 0–100 with its bootstrap interval as `<score>_low` / `<score>_high`.
 */
export function renderTargetsCsv(model: ReportModel, options: CsvOptions = {}): string {
  const head = [
    'rank',
    'tied',
    'target',
    'name',
    'region',
    'province',
    'grade',
    'cases',
    'errors',
    'available',
    'judged',
    'unjudged',
    'questions',
    ...SCORE_NAMES.flatMap((n) => [SCORE_COLUMNS[n], `${SCORE_COLUMNS[n]}_low`, `${SCORE_COLUMNS[n]}_high`]),
    'p50_ms',
    'p95_ms',
    'total_p50_ms',
    'total_p95_ms',
  ];
  const ms = (v: number | null): number | null => (v === null ? null : Math.round(v));
  const rows = model.targets.map((t) =>
    csvRow([
      t.rank,
      t.tied,
      t.id,
      t.name,
      t.region,
      t.province,
      t.grade,
      t.cases,
      t.errors,
      t.available,
      t.judged,
      t.unjudged,
      t.questions,
      ...SCORE_NAMES.flatMap((n) => {
        const iv = t.intervals[n];
        return [r2(t.scores[n]), iv ? r2(iv[0]) : null, iv ? r2(iv[1]) : null];
      }),
      ms(t.latency.p50Ms),
      ms(t.latency.p95Ms),
      ms(t.latency.totalP50Ms),
      ms(t.latency.totalP95Ms),
    ]),
  );
  return `${options.bom === false ? '' : BOM}${csvRow(head)}${rows.join('')}`;
}

/**
 * Writes streamed text to `path` (folders created as needed) in large writes, beside the target
 * and renamed into place, so a reader never sees half a file. Returns the path written.
 */
export function writeCsv(path: string, chunks: Iterable<string>): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  let written = false;
  try {
    let buffer = '';
    for (const chunk of chunks) {
      buffer += chunk;
      if (buffer.length >= 1 << 16) {
        writeAll(fd, buffer);
        buffer = '';
      }
    }
    writeAll(fd, buffer);
    written = true;
  } finally {
    closeSync(fd);
    if (!written) rmSync(tmp, { force: true });
  }
  renameSync(tmp, path);
  return path;
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
}
