import { displayWidth, fit } from './text.js';

/** A column of a terminal table; cells are plain text, colour is the renderer's business. */
export interface TableColumn<Row> {
  head: string;
  /** Fixed width; 0 sizes the column to its widest cell (names) within what is left. */
  width: number;
  align?: 'left' | 'right';
  /** Lower stays longer on a narrow terminal; 0: always shown. */
  priority: number;
  cell(row: Row): string;
}

interface FittedColumn<Row> extends TableColumn<Row> {
  width: number;
}

const GAP = 2;
const FLEX_MIN = 6;
const FLEX_MAX = 28;

/** The columns that fit `width`, most important first to stay, the flexible one sized to its content. */
export function fitColumns<Row>(columns: readonly TableColumn<Row>[], rows: readonly Row[], width: number): FittedColumn<Row>[] {
  const sized = columns.map((c) =>
    c.width > 0 ? { ...c } : { ...c, width: Math.min(FLEX_MAX, Math.max(FLEX_MIN, displayWidth(c.head), ...rows.map((r) => displayWidth(c.cell(r))))) },
  );
  const total = (cols: readonly FittedColumn<Row>[]) => cols.reduce((w, c) => w + c.width, 0) + GAP * Math.max(0, cols.length - 1);
  let shown = sized.filter((c) => c.priority === 0);
  for (const c of sized.filter((x) => x.priority > 0).sort((a, b) => a.priority - b.priority)) {
    const next = sized.filter((x) => shown.includes(x) || x === c);
    if (total(next) <= width) shown = next;
  }
  const flex = shown.find((c) => columns.find((o) => o.head === c.head)?.width === 0);
  if (flex) {
    // Room left over goes to the names, up to the longest; a shortfall comes out of them.
    const content = Math.max(displayWidth(flex.head), ...rows.map((r) => displayWidth(flex.cell(r))));
    flex.width = Math.max(FLEX_MIN, Math.min(Math.max(flex.width, content), flex.width + width - total(shown)));
  }
  return shown;
}

/** One cell padded to its column. */
export function cellText<Row>(column: FittedColumn<Row>, text: string): string {
  return fit(text, column.width, column.align ?? 'left');
}

export const COLUMN_GAP = ' '.repeat(GAP);

/** A header line for fitted columns. */
export function headLine<Row>(columns: readonly FittedColumn<Row>[]): string {
  return columns.map((c) => cellText(c, c.head)).join(COLUMN_GAP);
}
