import { Box, Text } from 'ink';
import type { CheckStatus } from '../../domain/types.js';
import { fmtMs } from '../../reports/format.js';
import { fit, oneLine } from '../text.js';
import type { Readiness } from './use-readiness.js';

const STATUS_COLORS: Readonly<Record<CheckStatus, string>> = {
  ready: 'green',
  'no-endpoint': 'gray',
  unreachable: 'red',
  blocked: 'yellow',
  'no-reply': 'red',
};

/** Lines the readiness block takes when it shows at most `max` targets. */
export function readinessHeight(readiness: Readiness, max: number): number {
  return readiness.asked.length === 0 ? 1 : Math.min(readiness.asked.length, max) + 1;
}

/**
 * One line per checked target — status, first-reply time, and the reply or the reason — and a
 * summary; before any check, how to start one.
 */
export function ReadinessLines({ readiness, width, max }: { readonly readiness: Readiness; readonly width: number; readonly max: number }) {
  const { asked, checks, running, problem } = readiness;
  if (asked.length === 0) {
    return (
      <Text wrap="truncate" dimColor>
        Readiness: press c to ask each chosen target one question, as govbench check does
      </Text>
    );
  }
  const ready = [...checks.values()].filter((c) => c.status === 'ready').length;
  const shown = asked.slice(0, max);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate" bold>
        Readiness: {ready} ready of {asked.length}
        {running ? ` · checking, ${asked.length - checks.size} to go` : ''}
        {asked.length > shown.length ? ` · ${asked.length - shown.length} more not shown` : ''}
        {problem ? <Text color="red"> · {oneLine(problem)}</Text> : null}
      </Text>
      {shown.map((t) => {
        const c = checks.get(t.id);
        const label = `${fit(oneLine(t.name), 12)} ${fit(oneLine(t.id), 16)}`;
        if (!c) {
          return (
            <Text key={t.id} wrap="truncate" dimColor>
              {'  '}
              {fit(running ? 'checking…' : 'not checked', 12)} {label}
            </Text>
          );
        }
        const said = c.status === 'ready' ? `“${oneLine(c.reply ?? '')}”` : oneLine(c.detail ?? '');
        return (
          <Text key={t.id} wrap="truncate">
            {'  '}
            <Text color={STATUS_COLORS[c.status]}>{fit(c.status, 12)}</Text> {label} {fit(fmtMs(c.firstReplyMs), 7, 'right')} <Text dimColor>{said}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
