/**
 * Reading a question table — a CSV or XLSX export of a 12345 hotline or portal knowledge base — into
 * rows of question, answer and matter, with the position of every row for messages.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { SourcePos } from '../domain/types.js';
import { InputErrors, UserError, type InputProblem } from '../util/errors.js';
import { displayPath } from '../util/yaml-file.js';

/** The fields a table column can fill. */
type TableField = 'question' | 'answer' | 'matter' | 'aspect' | 'variants';

/**
 * Headers accepted for each field, compared after `headerKey` (case, spaces, `*`, colons and bracketed
 * notes such as （必填） ignored). The Chinese ones are those knowledge-base exports use.
 */
const HEADER_SYNONYMS: Readonly<Record<TableField, readonly string[]>> = {
  question: ['question', 'q', '问题', '标准问', '标准问题', '问句', '标准问句', '问法', '咨询问题'],
  answer: ['answer', 'a', '答案', '回答', '标准答案', '答复', '标准回答', '答复内容', '回复内容'],
  matter: ['matter', '事项', '事项名称', '分类', '所属事项', '服务事项'],
  aspect: ['aspect', 'intent', '意图', '子项', '主题'],
  variants: ['variants', '相似问', '相似问法', '相似问题', '扩展问', '扩展问法'],
};

const REQUIRED: readonly TableField[] = ['question', 'answer'];

/** How many leading rows may hold a title before the header row (exports often start with one). */
const HEADER_SEARCH_ROWS = 5;

/** Similar questions in one cell are separated by line breaks, |, ｜ or ；. */
const VARIANT_SEPARATOR = /[\n|｜；;]+/;

/** One column recognised as a field. */
interface ColumnMapping {
  field: TableField;
  /** The header as written in the file. */
  header: string;
  /** 1-based column number. */
  column: number;
}

/** One row of the table with text in it. */
export interface TableRow {
  pos: SourcePos;
  question: string;
  answer: string;
  /** The matter name from the matter column; absent when the table has none. */
  matter?: string;
  aspect?: string;
  /** Similar questions from a variants column. */
  variants: string[];
}

export interface ImportedTable {
  /** The file as a user typed it, with the sheet when a workbook has several. */
  file: string;
  sheet?: string;
  mapping: ColumnMapping[];
  rows: TableRow[];
  /** Rows dropped with the reason (a repeated question). */
  warnings: string[];
}

/** A row of cells as read from the file, with its 1-based line (CSV) or row number (XLSX). */
interface RawRow {
  line: number;
  cells: string[];
}

/** Options for `tableFromRows`. */
interface TableOptions {
  /**
   * Whether a matter column is required (no `--matter` given).
   * @default true
   */
  requireMatter?: boolean;
  sheet?: string;
}

/** Reads a CSV, TSV or XLSX file into table rows; every problem names the file, the row and the column. */
export async function readTable(file: string, options: TableOptions = {}): Promise<ImportedTable> {
  const ext = extname(file).toLowerCase();
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new UserError(`${displayPath(file)}: cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (ext === '.xlsx') return readWorkbook(file, bytes, options);
  if (ext === '.xls') {
    throw new UserError(`${displayPath(file)}: the old Excel format (.xls) cannot be read`, 'save it as .xlsx or .csv and import that');
  }
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return tableFromRows(readCsv(file, bytes, ext), displayPath(file), options);
  throw new UserError(`${displayPath(file)}: unknown table format "${ext || '(none)'}"; expected .csv, .tsv or .xlsx`);
}

/** UTF-8 (with or without BOM), else GB18030: what Excel on a Chinese Windows saves "CSV" as. */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function readCsv(file: string, bytes: Buffer, ext: string): RawRow[] {
  const text = decodeText(bytes);
  const firstLine = text.split('\n', 1)[0] ?? '';
  const delimiter = ext === '.tsv' || count(firstLine, '\t') > count(firstLine, ',') ? '\t' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { delimiter, info: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: true }) as unknown as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new UserError(`${displayPath(file)}${line ? `:${line}` : ''}: not valid CSV (${(err as Error).message})`, undefined, { cause: err });
  }
  // csv-parse reports the line a record ends on; a quoted cell with line breaks starts earlier.
  return records.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, cell) => n + count(cell, '\n'), 0),
    cells: record.map(cleanCell),
  }));
}

async function readWorkbook(file: string, bytes: Buffer, options: TableOptions): Promise<ImportedTable> {
  const { default: readXlsxFile } = await import('read-excel-file/node');
  let sheets: Awaited<ReturnType<typeof readXlsxFile>>;
  try {
    sheets = await readXlsxFile(bytes);
  } catch (err) {
    throw new UserError(`${displayPath(file)}: not a readable .xlsx workbook (${(err as Error).message})`, undefined, { cause: err });
  }
  const wanted = options.sheet === undefined ? sheets : sheets.filter((s) => s.sheet === options.sheet);
  if (wanted.length === 0) {
    throw new UserError(`${displayPath(file)}: no sheet "${options.sheet}"; found ${sheets.map((s) => s.sheet).join(', ')}`);
  }
  const toRows = (data: (typeof sheets)[number]['data']): RawRow[] =>
    data.map((row, i) => ({ line: i + 1, cells: row.map((c) => cleanCell(c === null ? '' : String(c))) }));
  // The first sheet whose header row is recognised; with none, the first sheet's error is the one to show.
  let firstError: unknown;
  for (const s of wanted) {
    const name = sheets.length > 1 ? `${displayPath(file)}[${s.sheet}]` : displayPath(file);
    try {
      return { ...tableFromRows(toRows(s.data), name, options), sheet: s.sheet };
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      firstError ??= err;
    }
  }
  throw firstError;
}

/**
 * Table rows from raw cells: finds the header row (one of the first few), maps its headers to fields,
 * and reads every row below it. Pure: the parsing of files is done by `readTable`.
 * @param file the name used in messages and positions
 */
function tableFromRows(raw: readonly RawRow[], file: string, options: TableOptions = {}): ImportedTable {
  const requireMatter = options.requireMatter ?? true;
  const headerIndex = raw.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => REQUIRED.every((f) => findColumn(r.cells, f) !== undefined));
  if (headerIndex < 0) throw missingColumnError(raw, file, requireMatter);
  const header = raw[headerIndex]!;
  const mapping: ColumnMapping[] = [];
  for (const field of Object.keys(HEADER_SYNONYMS) as TableField[]) {
    const column = findColumn(header.cells, field);
    if (column !== undefined) mapping.push({ field, header: header.cells[column]!, column: column + 1 });
  }
  if (requireMatter && !mapping.some((m) => m.field === 'matter')) throw missingColumnError([header], file, true);

  const cell = (row: RawRow, field: TableField): string => {
    const m = mapping.find((c) => c.field === field);
    return m ? (row.cells[m.column - 1] ?? '') : '';
  };
  const problems: InputProblem[] = [];
  const rows: TableRow[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, number>();
  for (const row of raw.slice(headerIndex + 1)) {
    const question = cell(row, 'question');
    const answer = cell(row, 'answer');
    const matter = cell(row, 'matter');
    if (!question && !answer && !matter) continue;
    const at = (field: TableField): InputProblem['pos'] => ({ file, line: row.line, column: mapping.find((m) => m.field === field)?.column ?? 1 });
    const headerOf = (field: TableField) => mapping.find((m) => m.field === field)!.header;
    if (!question) problems.push({ pos: at('question'), field: headerOf('question'), message: 'empty; expected the question as a citizen asks it' });
    if (!answer) problems.push({ pos: at('answer'), field: headerOf('answer'), message: 'empty; expected the reference answer' });
    if (requireMatter && !matter) problems.push({ pos: at('matter'), field: headerOf('matter'), message: 'empty; expected the matter the question belongs to (or pass --matter ID)' });
    if (!question || !answer || (requireMatter && !matter)) continue;
    const key = `${matter}\u0000${question.replace(/\s+/g, '')}`;
    const first = seen.get(key);
    if (first !== undefined) {
      warnings.push(`${file}:${row.line}: the question "${question}" repeats line ${first}; kept the first`);
      continue;
    }
    seen.set(key, row.line);
    const aspect = cell(row, 'aspect');
    rows.push({
      pos: at('question'),
      question,
      answer,
      ...(matter && { matter }),
      ...(aspect && { aspect }),
      variants: cell(row, 'variants')
        .split(VARIANT_SEPARATOR)
        .map((v) => v.trim())
        .filter((v) => v.length > 0 && v !== question),
    });
  }
  if (problems.length > 0) throw new InputErrors(problems);
  if (rows.length === 0) throw new UserError(`${file}: no rows below the header (line ${header.line}); expected one question per row`);
  return { file, mapping, rows, warnings };
}

/** A header compared loosely: case, spaces, required-marks, colons and bracketed notes ignored. */
function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[(（\[【][^)）\]】]*[)）\]】]/g, '')
    .replace(/[\s*:：]/g, '');
}

function findColumn(cells: readonly string[], field: TableField): number | undefined {
  const names = HEADER_SYNONYMS[field];
  const i = cells.findIndex((c) => names.includes(headerKey(c)));
  return i < 0 ? undefined : i;
}

function missingColumnError(raw: readonly RawRow[], file: string, requireMatter: boolean): UserError {
  const header = raw.find((r) => r.cells.some((c) => c.length > 0));
  const found = header ? header.cells.filter((c) => c.length > 0) : [];
  const fields = requireMatter ? [...REQUIRED, 'matter' as const] : REQUIRED;
  const missing = fields.filter((f) => !header || findColumn(header.cells, f) === undefined);
  const lines = missing.map((f) => `no ${f} column; expected a header among: ${HEADER_SYNONYMS[f].join(', ')}`);
  return new UserError(
    `${file}${header ? `:${header.line}` : ''}: ${lines.join('; ')}. Headers found: ${found.length > 0 ? found.join(', ') : '(none)'}`,
    missing.includes('matter') ? 'add a matter column, or pass --matter ID to put every row into one matter' : 'rename the columns, or add the missing one',
  );
}

function cleanCell(value: string): string {
  return value.replace(/\r\n?/g, '\n').trim();
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}
