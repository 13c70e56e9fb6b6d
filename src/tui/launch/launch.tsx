import { Box, Text } from 'ink';
import { loadTargets } from '../../config/load-targets.js';
import type { Store } from '../../domain/types.js';
import { Hint } from '../chrome.js';
import type { RunRequest } from '../../runner/session/spec.js';
import { fit, fmtDuration, oneLine, windowStart } from '../text.js';
import { useAsync } from '../use-async.js';
import { launchRows, regionsOf, selectedBanks, selectedTargets, specOf, type LaunchData, type LaunchForm, type LaunchRow } from './launch-model.js';
import { DEFAULT_CONCURRENCY } from '../../runner/run.js';
import { ASSUMED_REPLY_MS, estimateDuration, listBankFiles, listResumable } from './launch-plan.js';
import { readinessHeight, ReadinessLines } from './readiness.js';
import { useLaunch } from './use-launch.js';
import { useReadiness } from './use-readiness.js';
import { useLaunchState, type LaunchState } from './use-launch-state.js';

interface LaunchProps {
  readonly store: Store;
  readonly width: number;
  readonly height: number;
  readonly isActive: boolean;
  /** A run is going: another cannot start, and it is not offered for resuming. */
  readonly activeRunId: string | null;
  readonly runActive: boolean;
  readonly initial?: Partial<LaunchForm>;
  readonly onStart: (request: RunRequest) => void;
  /** A text field is being edited (screen keys are off meanwhile). */
  readonly onEditing: (editing: boolean) => void;
  /** Environment for `${VAR}` in targets, for the readiness check. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Targets the readiness block lists at most; the form keeps the rest of the screen. */
const READINESS_LINES = 6;

const LABEL = 13;

/** Choose targets, banks, judge, repeats and a label; see the plan and its duration; start or resume. */
export function Launch({ store, width, height, isActive, activeRunId, runActive, initial, onStart, onEditing, env }: LaunchProps) {
  const [state, dispatch, getState] = useLaunchState(initial);
  const { form } = state;
  const registry = useAsync(() => loadTargets(form.targetsFile), [form.targetsFile]);
  const banks = useAsync(() => listBankFiles(form.bankPath), [form.bankPath]);
  const resumable = useAsync(() => listResumable(store, activeRunId), [store, activeRunId, runActive]);
  const data: LaunchData = {
    registry: registry.status === 'done' ? registry.value : null,
    banks: banks.status === 'done' ? banks.value : null,
    resumable: resumable.status === 'done' ? resumable.value : [],
  };
  const rows = launchRows(form, data);
  const editing = state.editing !== null;
  const { readiness, check } = useReadiness(env);

  useLaunch({
    getState,
    dispatch,
    rowsOf: (s) => launchRows(s.form, data),
    regions: regionsOf(data.registry),
    isActive,
    onEditing,
    onStart: () => {
      if (runActive) return dispatch({ type: 'problem', problem: 'a run is going: stop it on the Run screen (2) first' });
      const spec = specOf(getState().form, data);
      if ('problem' in spec) return dispatch({ type: 'problem', problem: spec.problem });
      dispatch({ type: 'problem', problem: null });
      onStart({ spec });
    },
    onCheck: () => {
      const current = getState().form;
      if (!data.registry) return dispatch({ type: 'problem', problem: 'the targets file does not load (see above)' });
      const targets = selectedTargets(current, data.registry);
      if (targets.length === 0) return dispatch({ type: 'problem', problem: 'no targets chosen' });
      check({ targets, registry: data.registry, bankFiles: selectedBanks(current, data.banks).map((b) => b.file) });
    },
    onResume: (runId) => {
      if (runActive) return dispatch({ type: 'problem', problem: 'a run is going: stop it on the Run screen (2) first' });
      onStart({ resume: runId });
    },
  });

  const loadError = registry.status === 'failed' ? registry.error.message : banks.status === 'failed' ? banks.error.message : null;
  const visible = Math.max(3, height - 5 - readinessHeight(readiness, READINESS_LINES));
  const focusAt = Math.max(0, rows.findIndex((r) => r.key === state.focus));
  const first = windowStart(rows.length, focusAt, visible);
  return (
    <Box flexDirection="column" width={width}>
      <Box flexDirection="column" height={visible}>
        {rows.slice(first, first + visible).map((row) => (
          <Row key={row.key} row={row} focused={row.key === state.focus} editing={state.editing?.field === row.key ? state.editing.draft : null} />
        ))}
      </Box>
      <Plan form={form} data={data} width={width} />
      <ReadinessLines readiness={readiness} width={width} max={READINESS_LINES} />
      <Problem state={state} loadError={loadError} />
      <Hint>
        {editing ? 'type · Enter keep · Esc drop · Ctrl-U clear' : '↑↓ move · ←→ change · Space tick · Enter edit / start · c check readiness'}
      </Hint>
    </Box>
  );
}

function Row({ row, focused, editing }: { readonly row: LaunchRow; readonly focused: boolean; readonly editing: string | null }) {
  const mark = focused ? '›' : ' ';
  switch (row.kind) {
    case 'text':
      return (
        <Text wrap="truncate" bold={focused}>
          {mark} {fit(row.label, LABEL)} {editing !== null ? <Text color="cyan">{oneLine(editing)}▌</Text> : <Text>{oneLine(row.value) || '—'}</Text>}
          <Text dimColor> {row.note}</Text>
        </Text>
      );
    case 'choice':
      return (
        <Text wrap="truncate" bold={focused}>
          {mark} {fit(row.label, LABEL)} <Text color="cyan">‹ {row.value} ›</Text>
          <Text dimColor> {row.note}</Text>
        </Text>
      );
    case 'toggle':
      return (
        <Text wrap="truncate" bold={focused} dimColor={row.disabled}>
          {mark}   [{row.checked ? 'x' : ' '}] {row.label}
          <Text dimColor> {row.note}</Text>
        </Text>
      );
    case 'start':
      return (
        <Text wrap="truncate" bold color="green" inverse={focused}>
          {mark} ▶ {row.label}
        </Text>
      );
    case 'resume':
      return (
        <Text wrap="truncate" color="yellow" inverse={focused}>
          {mark} ↻ {row.label}
        </Text>
      );
  }
}

function Plan({ form, data, width }: { readonly form: LaunchForm; readonly data: LaunchData; readonly width: number }) {
  const targets = selectedTargets(form, data.registry);
  const perTarget = selectedBanks(form, data.banks).reduce((n, b) => n + b.cases, 0) * form.repeat;
  const estimate = data.registry ? estimateDuration(targets, data.registry, perTarget) : null;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate" bold>
        Plan: {targets.length} targets × {perTarget} cases = {targets.length * perTarget} cases
        {estimate ? ` · about ${fmtDuration(estimate.ms)}${estimate.slowest ? ` (${estimate.bound === 'overall' ? `${DEFAULT_CONCURRENCY} in flight overall` : `slowest: ${estimate.slowest}`})` : ''}` : ''}
      </Text>
      <Text wrap="truncate" dimColor>
        assumes {ASSUMED_REPLY_MS / 1000} s an answer (simulated: the persona's median) within each target's concurrency and per-minute limit
      </Text>
    </Box>
  );
}

function Problem({ state, loadError }: { readonly state: LaunchState; readonly loadError: string | null }) {
  const text = state.problem ?? loadError;
  if (text === null) return <Text> </Text>;
  return (
    <Text wrap="truncate" color="red">
      {oneLine(text)}
    </Text>
  );
}
