import { Box, Text } from 'ink';
import { median, type RunState, type TargetProgress } from './run-state.js';
import { stripTerminalControls } from './sanitize.js';

export interface LiveRunProps {
  readonly state: RunState;
  readonly now: number;
  /** Terminal size; rows beyond the height are summarised, not drawn. */
  readonly width: number;
  readonly height: number;
}

const BAR = 20;

/** The live view of a run: one line per target, throughput and ETA, the latest failures. */
export function LiveRun({ state, now, width, height }: LiveRunProps) {
  const elapsed = state.startedAt === null ? 0 : (now - state.startedAt) / 1000;
  const rate = elapsed > 0 ? state.doneHere / elapsed : 0;
  const left = state.planned - state.done;
  const eta = rate > 0 ? left / rate : null;
  const room = Math.max(3, height - 6 - Math.min(state.failures.length, 3));
  const shown = state.targets.slice(0, room);
  const hidden = state.targets.length - shown.length;
  const nameWidth = Math.min(16, Math.max(6, ...state.targets.map((t) => displayWidth(t.name))));
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>
        govbench {state.runId ?? ''} · {state.status} · {state.done}/{state.planned} cases · {rate.toFixed(0)}/s
        {eta !== null && state.status === 'running' ? ` · ETA ${formatSeconds(eta)}` : ''}
      </Text>
      {shown.map((t) => (
        <TargetLine key={t.id} target={t} nameWidth={nameWidth} />
      ))}
      {hidden > 0 && <Text dimColor>… and {hidden} more targets</Text>}
      {state.failures.slice(0, 3).map((f, i) => (
        <Text key={i} color="red">
          ✗ {stripTerminalControls(f.targetId)} {stripTerminalControls(f.questionId)}: {f.errorKind}
        </Text>
      ))}
    </Box>
  );
}

function TargetLine({ target: t, nameWidth }: { readonly target: TargetProgress; readonly nameWidth: number }) {
  const filled = t.planned === 0 ? BAR : Math.round((t.done / t.planned) * BAR);
  const p50 = median(t.latencies);
  const accuracy = t.judged === 0 ? null : (t.accuracySum / t.judged) * 100;
  return (
    <Text>
      {padDisplay(stripTerminalControls(t.name), nameWidth)} <Text color={t.done === t.planned ? 'green' : 'cyan'}>{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(BAR - filled)}</Text> {String(t.done).padStart(4)}/{t.planned}
      {t.errors > 0 ? <Text color="red"> err {t.errors}</Text> : ''}
      {p50 !== null ? ` p50 ${Math.round(p50)}ms` : ''}
      {accuracy !== null ? ` acc ${accuracy.toFixed(0)}` : ''}
    </Text>
  );
}

/** Width in terminal cells: CJK characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function padDisplay(s: string, width: number): string {
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > width) break;
    out += ch;
    w += cw;
  }
  return out + ' '.repeat(width - w);
}

function formatSeconds(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}
