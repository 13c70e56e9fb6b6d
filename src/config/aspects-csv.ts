/**
 * Reading the evaluators' score sheet for the four-aspect city report: one row per city with the
 * hand-recorded scores of the aspects govbench does not measure. Excel exports carry a BOM and quote
 * names holding commas; both are read as written. Every problem names the file, line, column and
 * what was expected.
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { HAND_SCORED_ASPECTS, type HandScores } from '../domain/types.js';
import { InputErrors, UserError, type InputProblem } from '../util/errors.js';
import { displayPath } from '../util/yaml-file.js';

/** The columns a sheet can have; `target` and the three hand-scored aspects are required. */
const COLUMNS = ['target', 'city', ...HAND_SCORED_ASPECTS, 'technicalSupportOther'] as const;
type ColumnName = (typeof COLUMNS)[number];
const REQUIRED: readonly ColumnName[] = ['target', ...HAND_SCORED_ASPECTS];

/** Headers accepted per column, compared after `headerKey`; the Chinese ones are the evaluation's own names. */
const HEADERS: Readonly<Record<ColumnName, readonly string[]>> = {
  target: ['target', 'targetid', 'id', '目标', '目标id'],
  city: ['city', 'name', 'cityname', '城市', '城市名称'],
  serviceGuide: ['serviceguide', '服务指南'],
  matterHandling: ['matterhandling', '事项办理'],
  interactiveCommunication: ['interactivecommunication', '互动交流'],
  technicalSupportOther: ['technicalsupportother', '技术支撑其他', '技术支撑(其他)'],
};

/** Case, spaces, `_`, `-` and required-marks ignored; full-width brackets read as ASCII ones. */
const headerKey = (header: string): string => header.normalize('NFKC').toLowerCase().replace(/[\s_*-]/g, '');

const SCORE_TEXT = /^\+?(\d+(\.\d*)?|\.\d+)$/;
const score = z
  .string()
  .regex(SCORE_TEXT, 'expected a score 0–100')
  .transform(Number)
  .pipe(z.number().max(100, 'expected a score 0–100'));

const rowSchema = z.object({
  target: z.string().min(1, 'empty; expected a target id'),
  city: z.string(),
  serviceGuide: score,
  matterHandling: score,
  interactiveCommunication: score,
  technicalSupportOther: score.optional(),
});

/** What the sheet's target ids are checked against. */
export interface KnownTargets {
  has(id: string): boolean;
  /** Where known ids come from, for the message about an unknown one. @example "the run or targets/key-cities.yaml" */
  source: string;
}

/** UTF-8 (a BOM dropped), else GB18030: what Excel on a Chinese Windows saves "CSV" as. */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

interface RawRow {
  line: number;
  cells: string[];
}

function readRows(file: string): RawRow[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new UserError(`${displayPath(file)}: cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    const records = parseCsv(decodeText(bytes), { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    // csv-parse reports the line a record ends on; a quoted cell with line breaks starts earlier.
    return records.map(({ record, info }) => ({
      line: info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0),
      cells: record.map((c) => c.trim()),
    }));
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new UserError(`${displayPath(file)}${line ? `:${line}` : ''}: not valid CSV (${(err as Error).message})`, undefined, { cause: err });
  }
}

/** Column name → 0-based index, from the header row; a missing required column is an error. */
function mapHeader(header: RawRow, file: string): Map<ColumnName, number> {
  const columns = new Map<ColumnName, number>();
  for (const name of COLUMNS) {
    const i = header.cells.findIndex((c) => HEADERS[name].includes(headerKey(c)));
    if (i >= 0) columns.set(name, i);
  }
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    const found = header.cells.filter((c) => c.length > 0);
    throw new UserError(
      `${file}:${header.line}: no ${missing.join(', ')} column; expected a header row with target, ${HAND_SCORED_ASPECTS.join(', ')} ` +
        `(optional: city, technicalSupportOther). Headers found: ${found.length > 0 ? found.join(', ') : '(none)'}`,
      'one row per city, scores 0–100; see "Four-aspect city report" in README.md',
    );
  }
  return columns;
}

/**
 * Reads a score sheet (CSV, header row first) into validated rows, one per city. Scores must be
 * numbers from 0 to 100, target ids known (to the run or a target registry) and not repeated; all
 * problems are reported at once.
 */
export function readAspectsCsv(file: string, known: KnownTargets): HandScores[] {
  const name = displayPath(file);
  const [header, ...body] = readRows(file);
  if (!header) throw new UserError(`${name}: empty; expected a header row and one row per city`);
  const columns = mapHeader(header, name);
  const problems: InputProblem[] = [];
  const rows: HandScores[] = [];
  const seen = new Map<string, number>();
  for (const row of body) {
    if (row.cells.every((c) => c === '')) continue;
    const cell = (c: ColumnName): string | undefined => {
      const i = columns.get(c);
      return i === undefined ? undefined : (row.cells[i] ?? '');
    };
    const at = (c: ColumnName) => ({ pos: { file: name, line: row.line, column: (columns.get(c) ?? 0) + 1 }, field: header.cells[columns.get(c) ?? 0] ?? c });
    const raw = Object.fromEntries(COLUMNS.flatMap((c) => (cell(c) === undefined ? [] : [[c, cell(c)]])));
    const parsed = rowSchema.safeParse({ city: '', ...raw });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = issue.path[0] as ColumnName;
        const value = cell(column) ?? '';
        problems.push({ ...at(column), message: value === '' ? issue.message.replace(/^(empty; )?/, 'empty; ') : `${issue.message}, got "${value}"` });
      }
      continue;
    }
    const r = parsed.data;
    if (!known.has(r.target)) {
      problems.push({ ...at('target'), message: `unknown target "${r.target}"; expected a target id of ${known.source}` });
      continue;
    }
    const first = seen.get(r.target);
    if (first !== undefined) {
      problems.push({ ...at('target'), message: `target "${r.target}" repeats line ${first}; expected one row per city` });
      continue;
    }
    seen.set(r.target, row.line);
    rows.push({
      pos: at('target').pos,
      target: r.target,
      city: r.city || null,
      scores: { serviceGuide: r.serviceGuide, matterHandling: r.matterHandling, interactiveCommunication: r.interactiveCommunication },
      technicalSupportOther: r.technicalSupportOther ?? null,
    });
  }
  if (problems.length > 0) throw new InputErrors(problems);
  if (rows.length === 0) throw new UserError(`${name}: no rows below the header (line ${header.line}); expected one row per city`);
  return rows;
}
