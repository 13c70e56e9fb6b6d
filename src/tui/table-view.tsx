import { Box, Text } from 'ink';
import { cellText, COLUMN_GAP, fitColumns, headLine, type TableColumn } from './table.js';
import { windowStart } from './text.js';

interface TableViewProps<Row> {
  readonly columns: readonly TableColumn<Row>[];
  readonly rows: readonly Row[];
  readonly width: number;
  /** Lines for the header, the rows and a position line. */
  readonly height: number;
  /** The highlighted row; null: none (a table only to read). */
  readonly cursor: number | null;
  readonly rowKey: (row: Row) => string;
  /** A cell's colour, by column head. */
  readonly color?: (head: string, row: Row) => string | undefined;
}

/** A table fitted to the terminal: columns that do not fit are dropped, rows scroll with the cursor. */
export function TableView<Row>({ columns, rows, width, height, cursor, rowKey, color }: TableViewProps<Row>) {
  const fitted = fitColumns(columns, rows, width);
  const visible = Math.max(1, height - 2);
  const first = windowStart(rows.length, cursor ?? 0, visible);
  const shown = rows.slice(first, first + visible);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {headLine(fitted)}
      </Text>
      {shown.map((row, i) => {
        const selected = cursor === first + i;
        return (
          <Text key={rowKey(row)} inverse={selected} wrap="truncate">
            {fitted.map((c, j) => {
              const tint = color?.(c.head, row);
              return (
                <Text key={c.head} {...(tint !== undefined && { color: tint })}>
                  {j > 0 ? COLUMN_GAP : ''}
                  {cellText(c, c.cell(row))}
                </Text>
              );
            })}
          </Text>
        );
      })}
      {rows.length > visible && (
        <Text dimColor>
          rows {first + 1}–{first + shown.length} of {rows.length}
        </Text>
      )}
    </Box>
  );
}
