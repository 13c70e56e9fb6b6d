import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_COLUMNS, csvField, renderCasesCsv, renderTargetsCsv, writeCsv } from '../src/reports/csv.js';
import { loadReportModel } from '../src/reports/from-store.js';
import type { Store } from '../src/domain/types.js';
import { tempDir } from './helpers.js';
import { EVIL_NAME, EVIL_REPLY, fillStore, FORMULA_REPLY, IMG, RUN_ID, SPECS } from './report-html-fixtures.js';

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quote');
        field += text.slice(i, q);
        i = q + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      field = end < 0 ? text.slice(i) : text.slice(i, i + end);
      if (/["\r\n]/.test(field)) throw new Error(`bare quote or line break in an unquoted field: ${JSON.stringify(field)}`);
      i += field.length;
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\r\nlf', '"cr\r\nlf"'],
    ['=1+1', "'=1+1"],
    ['+86 10 12345', "'+86 10 12345"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['a=b', 'a=b'],
    ['\u001b[31mred\u202e', 'red'],
    ['', ''],
  ])('writes text %j as %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it.each([
    [-1, '-1'],
    [0.25, '0.25'],
    [Number.NaN, ''],
    [true, 'true'],
    [false, 'false'],
    [null, ''],
  ])('writes %j as %j without a guard', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });
});

describe('CSV reports from a stored run', () => {
  const tmp = tempDir();
  let store: Store;
  beforeAll(() => {
    store = fillStore(tmp.dir);
  });
  afterAll(() => {
    store.close();
    tmp[Symbol.dispose]();
  });

  it('writes one RFC 4180 record per case, with a BOM, CRLF and the verdict columns', () => {
    const text = [...renderCasesCsv(store, RUN_ID, 'matcher')].join('');
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const [head, ...rows] = parseCsv(text.slice(1));
    expect(head).toEqual([...CASE_COLUMNS]);
    expect(rows).toHaveLength(SPECS.length);
    const records = rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i]])));
    for (const r of records) expect(Object.keys(r)).toHaveLength(CASE_COLUMNS.length);

    const evil = records.find((r) => r.target === 'evil' && r.question === 'q1')!;
    expect(evil).toMatchObject({
      target_name: EVIL_NAME,
      verdict: 'incorrect',
      intent_recognized: 'false',
      predicted_intent: 'm9/z',
      accuracy: '0',
      fact_errors: '收费',
      turns: '2',
      user: '追问 1',
      reply: EVIL_REPLY,
      first_ms: '8000',
      total_ms: '8400',
      available: 'true',
    });
    expect(records.find((r) => r.target === 'evil' && r.question === 'q3')).toMatchObject({ critical: 'true' });
    expect(records.find((r) => r.target === 'evil' && r.question === 'q4')).toMatchObject({
      reply: `'${FORMULA_REPLY}`,
      rationale: "'@risk",
      key_points_hit: '材料; 时限',
      accuracy: '0.5',
    });
    expect(records.find((r) => r.target === 'sh' && r.question === 'q2' && r.style === 'canonical')).toMatchObject({ rationale: `事实错误 ${IMG}` });
    expect(records.find((r) => r.target === 'sh' && r.question === 'q4' && r.style === 'canonical')).toMatchObject({
      available: 'false',
      error_kind: 'timeout',
      error: 'no reply within 10000 ms',
      verdict: '',
      first_ms: '',
      reply: '',
    });
    expect(records.find((r) => r.target === 'sh' && r.question === 'q4' && r.style === 'colloquial')).toMatchObject({
      verdict: 'unjudged',
      rationale: 'judge failed: no verdict',
      intent_recognized: '',
      variant: '1',
    });
  });

  it('writes one record per target in leaderboard order, with intervals, and streams to a file', () => {
    const model = loadReportModel(store, RUN_ID, { bootstrap: { iterations: 200 } });
    const text = renderTargetsCsv(model, { bom: false });
    const [head, ...rows] = parseCsv(text);
    expect(rows.map((r) => r[head!.indexOf('target')])).toEqual(model.targets.map((t) => t.id));
    const col = (r: string[], name: string): string => r[head!.indexOf(name)]!;
    model.targets.forEach((t, i) => {
      const r = rows[i]!;
      expect(col(r, 'name')).toBe(t.name);
      expect(col(r, 'rank')).toBe(String(t.rank));
      expect(col(r, 'grade')).toBe(t.grade ?? '');
      expect(Number(col(r, 'technical_support'))).toBeCloseTo(t.scores.technicalSupport!, 2);
      expect(Number(col(r, 'technical_support_low'))).toBeCloseTo(t.intervals.technicalSupport![0], 2);
      expect(Number(col(r, 'technical_support_high'))).toBeCloseTo(t.intervals.technicalSupport![1], 2);
      expect(Number(col(r, 'cases'))).toBe(t.cases);
    });

    const path = writeCsv(tmp.path('out/cases.csv'), renderCasesCsv(store, RUN_ID, 'matcher'));
    expect(readFileSync(path, 'utf8')).toBe([...renderCasesCsv(store, RUN_ID, 'matcher')].join(''));
  });
});
