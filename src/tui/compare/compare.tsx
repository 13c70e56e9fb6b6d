import { Box, Text } from 'ink';
import { compareFromStore } from '../../reports/compare/from-store.js';
import type { Store } from '../../domain/types.js';
import { Hint } from '../chrome.js';
import { TextView } from '../text-view.js';
import { oneLine, windowStart } from '../text.js';
import { useAsync } from '../use-async.js';
import { comparisonLines, compareEntries, sideText } from './compare-lines.js';
import { useCompare } from './use-compare.js';
import { useCompareState } from './use-compare-state.js';

interface CompareProps {
  readonly store: Store;
  readonly width: number;
  readonly height: number;
  readonly isActive: boolean;
}

/** Pick a baseline and a candidate (runs, or targets of runs) and see what the regression gate says. */
export function Compare({ store, width, height, isActive }: CompareProps) {
  const [state, dispatch, getState] = useCompareState();
  const runs = useAsync(() => store.listRuns(), [store]);
  const entriesOf = (expanded: readonly string[]) => (runs.status === 'done' ? compareEntries(runs.value, (id) => store.runTargets(id), expanded) : []);
  const entries = entriesOf(state.expanded);
  const cursor = Math.min(state.cursor, Math.max(0, entries.length - 1));
  const { baseline, candidate, showing } = state;
  const comparison = useAsync(
    () => (showing && baseline && candidate ? compareFromStore(store, { ...baseline }, { ...candidate }) : null),
    [store, showing, baseline, candidate],
  );
  const body = height - 2;
  const lines = comparison.status === 'done' && comparison.value ? comparisonLines(comparison.value, width) : [];
  const problem = baseline && candidate ? null : 'mark a baseline (b) and a candidate (c) first';
  useCompare({
    getState,
    dispatch,
    entriesOf: (s) => entriesOf(s.expanded),
    length: Math.max(1, lines.length - body + 1),
    page: Math.max(1, body - 2),
    isActive,
    onCompare: () => {
      const now = getState();
      if (now.baseline && now.candidate) dispatch({ type: 'show' });
    },
  });

  if (showing) {
    return (
      <Box flexDirection="column" width={width}>
        <Box flexDirection="column" height={body + 1}>
          {comparison.status === 'loading' && <Text>Comparing…</Text>}
          {comparison.status === 'failed' && <Text color="red">{oneLine(comparison.error.message)}</Text>}
          {comparison.status === 'done' && <TextView lines={lines} first={state.scroll} height={body + 1} />}
        </Box>
        <Hint>↑↓ PgUp PgDn scroll · Esc back to the runs</Hint>
      </Box>
    );
  }
  const visible = Math.max(3, body - 2);
  const first = windowStart(entries.length, cursor, visible);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        baseline <Text bold color="cyan">{sideText(baseline)}</Text> · candidate <Text bold color="magenta">{sideText(candidate)}</Text>
      </Text>
      <Box flexDirection="column" height={visible}>
        {runs.status === 'failed' && <Text color="red">{oneLine(runs.error.message)}</Text>}
        {runs.status === 'done' && entries.length === 0 && <Text dimColor>No runs in this database yet.</Text>}
        {entries.slice(first, first + visible).map((e, i) => {
          const mark = sideText(baseline) === sideText(e.side) ? 'B' : sideText(candidate) === sideText(e.side) ? 'C' : ' ';
          return (
            <Text key={e.key} inverse={first + i === cursor} wrap="truncate">
              <Text color={mark === 'B' ? 'cyan' : 'magenta'}>{mark}</Text> {e.label}
            </Text>
          );
        })}
      </Box>
      <Text dimColor wrap="truncate">
        {problem ?? 'Enter: compare'}
      </Text>
      <Hint>↑↓ move · → targets (← hide) · b baseline · c candidate · Enter compare</Hint>
    </Box>
  );
}
