import { Box, Text } from 'ink';
import { median, type RunState, type TargetProgress } from './run-state.js';
import { accuracyScore } from '../../scoring/outcome-sums.js';
import { displayWidth, fitName, oneLine } from '../text.js';

interface LiveRunProps {
  readonly state: RunState;
  readonly now: number;
  /** Terminal size; rows beyond the height are scrolled to, or summarised. */
  readonly width: number;
  readonly height: number;
  /** The first target row shown (scrolling). @default 0 */
  readonly offset?: number;
  /** Shown instead of the run's status, e.g. `paused`. */
  readonly phase?: string;
}

const BAR = 20;
/** Lines besides the target rows: the header, the "more" line, and three kept for the latest failures. */
const CHROME = 5;

/**
 * How many target rows fit in `height` lines. Room for failures is kept from the start, so the rows
 * do not jump when the first failure comes.
 */
export function targetRows(height: number): number {
  return Math.max(3, height - CHROME);
}

/** The live view of a run: one line per target, throughput and ETA, the latest failures. */
export function LiveRun({ state, now, width, height, offset = 0, phase }: LiveRunProps) {
  const elapsed = state.startedAt === null ? 0 : (now - state.startedAt) / 1000;
  const rate = elapsed > 0 ? state.doneHere / elapsed : 0;
  const left = state.planned - state.done;
  const eta = rate > 0 ? left / rate : null;
  const room = targetRows(height);
  const start = Math.max(0, Math.min(offset, state.targets.length - room));
  const shown = state.targets.slice(start, start + room);
  const below = state.targets.length - start - shown.length;
  // What a line needs besides the name: the bar, counts, errors, p50 and accuracy.
  const nameWidth = Math.min(Math.max(6, width - 56), 28, Math.max(6, ...state.targets.map((t) => displayWidth(oneLine(t.name)))));
  const more =
    start > 0
      ? `… ${start} above${below > 0 ? `, ${below} below` : ''} (↑↓ to scroll)`
      : below > 0
        ? `… and ${below} more targets`
        : null;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        govbench {state.runId ?? ''} · {phase ?? state.status} · {state.done}/{state.planned} cases · {rate.toFixed(0)}/s
        {eta !== null && state.status === 'running' && phase === undefined ? ` · ETA ${formatSeconds(eta)}` : ''}
        {state.errors > 0 ? ` · ${state.errors} failures` : ''}
      </Text>
      {shown.map((t) => (
        <TargetLine key={t.id} target={t} nameWidth={nameWidth} />
      ))}
      {more !== null && <Text dimColor>{more}</Text>}
      {state.failures.slice(0, 3).map((f, i) => (
        <Text key={i} color="red" wrap="truncate">
          ✗ {oneLine(f.targetId)} {oneLine(f.questionId)}: {f.errorKind}
        </Text>
      ))}
    </Box>
  );
}

function TargetLine({ target: t, nameWidth }: { readonly target: TargetProgress; readonly nameWidth: number }) {
  const filled = t.planned === 0 ? BAR : Math.round((t.done / t.planned) * BAR);
  const p50 = median(t.latencies);
  const accuracy = accuracyScore(t.accuracySum, t.judged);
  return (
    <Text wrap="truncate">
      {fitName(oneLine(t.name), nameWidth)} <Text color={t.done === t.planned ? 'green' : 'cyan'}>{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(BAR - filled)}</Text> {String(t.done).padStart(4)}/{t.planned}
      {t.errors > 0 ? <Text color="red"> err {t.errors}</Text> : ''}
      {p50 !== null ? ` p50 ${Math.round(p50)}ms` : ''}
      {accuracy !== null ? ` acc ${accuracy.toFixed(0)}` : ''}
    </Text>
  );
}

function formatSeconds(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}
