import { Box, Text } from 'ink';
import { LiveRun, targetRows } from './run-progress.js';
import { oneLine } from '../text.js';
import { useLive } from './use-live.js';
import type { LiveRunHandle, LiveState } from './use-live-state.js';

interface LiveScreenProps {
  readonly live: LiveRunHandle;
  readonly width: number;
  readonly height: number;
  readonly isActive: boolean;
  readonly dbPath: string;
  readonly onOpenResults: (runId: string) => void;
}

/** The run being watched: progress per target, with pause, stop and scrolling. */
export function LiveScreen({ live, width, height, isActive, dbPath, onOpenResults }: LiveScreenProps) {
  const s = live.state;
  // A bug's stack takes up to half the screen, under the status line that names the error.
  const stack = s.phase === 'ended' && s.stack !== null ? s.stack.split('\n').slice(1, 1 + Math.floor(height / 2)) : [];
  const body = height - 1 - stack.length;
  useLive({ live, rows: targetRows(body), isActive, onOpenResults });
  if (s.phase === 'idle') return <Text dimColor>No run yet: start one on the Launch screen (1).</Text>;
  if (s.phase === 'starting') return <Text>Starting: loading banks and targets, judges and the simulated fleet…</Text>;
  return (
    <Box flexDirection="column">
      {s.run.runId !== null ? (
        <LiveRun state={s.run} now={s.now} width={width} height={body} offset={s.offset} {...(phaseLabel(s) !== undefined && { phase: phaseLabel(s) })} />
      ) : (
        <Box height={1} />
      )}
      <StatusLine state={s} dbPath={dbPath} />
      {stack.map((line, i) => (
        <Text key={i} dimColor wrap="truncate">
          {oneLine(line)}
        </Text>
      ))}
    </Box>
  );
}

function phaseLabel(s: LiveState): string | undefined {
  if (s.phase === 'pausing' || s.phase === 'stopping') return `${s.phase}…`;
  return s.phase === 'paused' ? 'paused' : undefined;
}

function StatusLine({ state: s, dbPath }: { readonly state: LiveState; readonly dbPath: string }) {
  switch (s.phase) {
    case 'running':
      return <Text dimColor wrap="truncate">p pause · q stop (resumable) · ↑↓ PgUp PgDn scroll</Text>;
    case 'pausing':
    case 'stopping':
      return <Text color="yellow" wrap="truncate">finishing the cases in flight…</Text>;
    case 'paused':
      return <Text color="yellow" wrap="truncate">paused — p resume · q stop</Text>;
    default:
      if (s.status === null) return <Text dimColor>stopped before it started</Text>;
      if (s.status === 'failed') {
        const what = s.stack !== null ? `a bug in govbench: ${s.stack.split('\n')[0]}` : (s.error ?? 'unknown error');
        return <Text color="red" wrap="truncate">failed: {oneLine(what)}</Text>;
      }
      if (s.status === 'interrupted') {
        return (
          <Text color="yellow" wrap="truncate">
            stopped — resume from Launch (1), or: govbench run --resume {s.runId} --db {dbPath}
          </Text>
        );
      }
      return <Text color="green" wrap="truncate">finished — Enter: results</Text>;
  }
}
