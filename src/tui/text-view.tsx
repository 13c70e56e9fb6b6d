import { Box, Text } from 'ink';

/** One line of a scrolling text view. */
export interface Line {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

interface TextViewProps {
  readonly lines: readonly Line[];
  /** The first line shown. */
  readonly first: number;
  readonly height: number;
}

/** Pre-wrapped lines in a window, with where it is when they do not fit. */
export function TextView({ lines, first, height }: TextViewProps) {
  const fits = lines.length <= height;
  const room = fits ? height : height - 1;
  const start = Math.max(0, Math.min(first, lines.length - room));
  return (
    <Box flexDirection="column">
      {lines.slice(start, start + room).map((l, i) => (
        <Text key={start + i} wrap="truncate" bold={l.bold ?? false} dimColor={l.dim ?? false} {...(l.color !== undefined && { color: l.color })}>
          {l.text === '' ? ' ' : l.text}
        </Text>
      ))}
      {!fits && (
        <Text dimColor>
          lines {start + 1}–{Math.min(lines.length, start + room)} of {lines.length}
        </Text>
      )}
    </Box>
  );
}
