import { Box, Text } from 'ink';
import type { Store } from '../../domain/types.js';
import { Hint } from '../chrome.js';
import { GRADE_COLORS } from '../colors.js';
import { TableView } from '../table-view.js';
import { oneLine } from '../text.js';
import { useAsync } from '../use-async.js';
import { TextView } from '../text-view.js';
import {
  CASE_COLUMNS,
  caseColor,
  leaderboardColor,
  leaderboardColumns,
  MATTER_COLUMNS,
  PAIN_CASE_COLUMNS,
  painPointColumns,
  REGION_COLUMNS,
  RUN_COLUMNS,
  STYLE_COLUMNS,
  styleColor,
  verdictOf,
} from './result-columns.js';
import { caseDetail, loadRunResults, painPointCases, targetCases, type RunResults } from './results-from-store.js';
import { failureKindLabel } from '../../reports/failure-kinds.js';
import { transcriptLines } from './transcript-lines.js';
import { useResults } from './use-results.js';
import { RESULT_VIEWS, useResultsState, type ResultsState } from './use-results-state.js';

interface ResultsProps {
  readonly store: Store;
  /** null: the newest run. */
  readonly runId: string | null;
  readonly width: number;
  readonly height: number;
  readonly isActive: boolean;
  readonly onSelectRun: (runId: string) => void;
}

const VIEW_TITLES = { leaderboard: 'Leaderboard', regions: 'Regions', matters: 'Matters', robustness: 'Robustness', painPoints: 'Pain points' } as const;

/** A run's scores, and from a target down to one transcript with every judge's verdict. */
export function Results({ store, runId, width, height, isActive, onSelectRun }: ResultsProps) {
  const [state, dispatch, getState] = useResultsState();
  const results = useAsync(() => loadRunResults(store, runId), [store, runId]);
  const loaded = results.status === 'done' ? results.value : null;
  const cases = useAsync(
    () =>
      loaded && state.targetId
        ? targetCases(store, loaded.run, state.targetId)
        : loaded && state.painPoint
          ? painPointCases(store, loaded.run, state.painPoint)
          : [],
    [store, loaded, state.targetId, state.painPoint],
  );
  const allCases = cases.status === 'done' ? cases.value : [];
  const shownCases = state.onlyWrong ? allCases.filter((c) => verdictOf(c) !== 'correct') : allCases;
  const openCase = allCases.find((c) => c.id === state.caseId) ?? null;
  const reading = state.level === 'transcript';
  // Read again each time a transcript is opened: a review may have been recorded meanwhile.
  const detail = useAsync(() => (reading && openCase && loaded ? caseDetail(store, openCase, loaded.banks, loaded.run.id) : null), [store, openCase, loaded, reading]);
  const runs = useAsync(() => (state.level === 'runs' ? store.listRuns() : []), [store, state.level]);

  const body = height - 3;
  const lines = detail.status === 'done' && detail.value && loaded ? transcriptLines(detail.value, loaded.run.judge, width) : [];
  const tableRows = loaded ? rowsOf(state, loaded) : 0;
  const length = { table: tableRows, cases: shownCases.length, transcript: Math.max(1, lines.length - body + 1), runs: runs.status === 'done' ? runs.value.length : 0 }[state.level];
  useResults({
    getState,
    dispatch,
    length,
    page: Math.max(1, body - 2),
    isActive,
    onEnter: () => {
      const now = getState();
      if (now.level === 'table' && now.view === 'leaderboard' && loaded) {
        const target = loaded.model.targets[now.cursors.table];
        if (target) dispatch({ type: 'open-target', targetId: target.id });
      } else if (now.level === 'table' && now.view === 'painPoints' && loaded) {
        const p = loaded.model.painPoints[now.cursors.table];
        if (p) dispatch({ type: 'open-pain-point', painPoint: { kind: p.kind, matter: p.matter, aspect: p.aspect } });
      } else if (now.level === 'cases') {
        const row = (now.onlyWrong ? allCases.filter((c) => verdictOf(c) !== 'correct') : allCases)[now.cursors.cases];
        if (row) dispatch({ type: 'open-case', caseId: row.id });
      } else if (now.level === 'runs' && runs.status === 'done') {
        const run = runs.value[now.cursors.runs];
        if (run) {
          onSelectRun(run.id);
          dispatch({ type: 'back' });
        }
      }
    },
  });

  if (results.status === 'loading') return <Text>Scoring the run…</Text>;
  if (results.status === 'failed') {
    return (
      <Box flexDirection="column">
        <Text color="red">{oneLine(results.error.message)}</Text>
        <Hint>start a run on the Launch screen (1)</Hint>
      </Box>
    );
  }
  const { run, model } = results.value;
  const cursor = state.cursors[state.level];
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        run {run.id}
        {run.label ? ` (${oneLine(run.label)})` : ''} · {run.status} · judge {oneLine(run.judge)} · {model.totals.cases} cases · {model.totals.errors} failures
      </Text>
      {state.level === 'table' && <ViewTabs state={state} />}
      {state.level === 'table' && (
        <Box flexDirection="column" height={body}>
          <Table state={state} results={results.value} width={width} height={body} />
        </Box>
      )}
      {state.level === 'cases' && (
        <Box flexDirection="column" height={body + 1}>
          <TargetTitle results={results.value} state={state} count={cases.status === 'done' ? shownCases.length : null} />
          {cases.status === 'loading' ? (
            <Text>Reading the cases…</Text>
          ) : (
            <TableView columns={state.painPoint ? PAIN_CASE_COLUMNS : CASE_COLUMNS} rows={shownCases} width={width} height={body} cursor={cursor} rowKey={(c) => String(c.id)} color={caseColor} />
          )}
        </Box>
      )}
      {state.level === 'transcript' && (
        <Box flexDirection="column" height={body + 1}>
          {detail.status === 'failed' ? <Text color="red">{oneLine(detail.error.message)}</Text> : <TextView lines={lines} first={cursor} height={body + 1} />}
        </Box>
      )}
      {state.level === 'runs' && (
        <Box flexDirection="column" height={body + 1}>
          <Text bold>Pick a run</Text>
          <TableView columns={RUN_COLUMNS} rows={runs.status === 'done' ? runs.value : []} width={width} height={body} cursor={cursor} rowKey={(r) => r.id} />
        </Box>
      )}
      <Hint>{HINTS[state.level]}</Hint>
    </Box>
  );
}

const HINTS = {
  table: '←→ view · ↑↓ move · Enter open a target or a pain point · r other run',
  cases: '↑↓ move · Enter transcript · f only not correct · Esc back',
  transcript: '↑↓ PgUp PgDn scroll · Esc back',
  runs: '↑↓ move · Enter show this run · Esc back',
} as const;

function rowsOf(state: ResultsState, r: RunResults): number {
  switch (state.view) {
    case 'leaderboard':
      return r.model.targets.length;
    case 'regions':
      return r.model.regions.length;
    case 'matters':
      return r.model.matters.length;
    case 'robustness':
      return r.model.styles.length;
    case 'painPoints':
      return r.model.painPoints.length;
  }
}

function ViewTabs({ state }: { readonly state: ResultsState }) {
  return (
    <Text wrap="truncate">
      {RESULT_VIEWS.map((v) => (
        <Text key={v} inverse={v === state.view}>
          {` ${VIEW_TITLES[v]} `}
        </Text>
      ))}
    </Text>
  );
}

function Table({ state, results, width, height }: { readonly state: ResultsState; readonly results: RunResults; readonly width: number; readonly height: number }) {
  const { model } = results;
  const cursor = state.cursors.table;
  switch (state.view) {
    case 'leaderboard':
      return (
        <Box flexDirection="column">
          <TableView columns={leaderboardColumns(model)} rows={model.targets} width={width} height={height - 1} cursor={cursor} rowKey={(t) => t.id} color={leaderboardColor} />
          <Text dimColor wrap="truncate">
            {model.targets.some((t) => t.tied) ? '= tied: their rank intervals overlap · ' : ''}grades: excellent ≥ {model.config.grades.excellent}, good ≥ {model.config.grades.good}, average ≥ {model.config.grades.average}
          </Text>
        </Box>
      );
    case 'regions':
      return <TableView columns={REGION_COLUMNS} rows={model.regions} width={width} height={height} cursor={cursor} rowKey={(r) => r.id} />;
    case 'matters':
      return <TableView columns={MATTER_COLUMNS} rows={model.matters} width={width} height={height} cursor={cursor} rowKey={(m) => m.id} />;
    case 'robustness':
      return (
        <Box flexDirection="column">
          <TableView columns={STYLE_COLUMNS} rows={model.styles} width={width} height={height - 1} cursor={cursor} rowKey={(s) => s.style} color={styleColor} />
          <Text dimColor wrap="truncate">
            gap: canonical score minus the score on the same questions rephrased; positive is worse
          </Text>
        </Box>
      );
    case 'painPoints':
      return model.painPoints.length === 0 ? (
        <Text dimColor>No pain points: every case was correct.</Text>
      ) : (
        <Box flexDirection="column">
          <TableView columns={painPointColumns(model)} rows={model.painPoints} width={width} height={height - 1} cursor={cursor} rowKey={(p) => `${p.kind} ${p.matter} ${p.aspect}`} />
          <Text dimColor wrap="truncate">
            share: of the aspect’s cases across targets · Enter lists the cases
          </Text>
        </Box>
      );
  }
}

function TargetTitle({ results, state, count }: { readonly results: RunResults; readonly state: ResultsState; readonly count: number | null }) {
  const p = state.painPoint;
  if (p) {
    return (
      <Text bold wrap="truncate">
        {failureKindLabel(p.kind)} · {oneLine(p.matter)}/{oneLine(p.aspect)} · {count ?? '…'}
        {state.onlyWrong ? ' cases not correct' : ' cases'}
      </Text>
    );
  }
  const t = results.model.targets.find((x) => x.id === state.targetId);
  if (!t) return <Text> </Text>;
  return (
    <Text bold wrap="truncate">
      {oneLine(t.name)} ({t.id}) · {t.grade ? <Text color={GRADE_COLORS[t.grade]}>{t.grade}</Text> : '—'} · {count ?? '…'}
      {state.onlyWrong ? ' cases not correct' : ' cases'}
      {results.banksProblem ? <Text dimColor> · {oneLine(results.banksProblem)}</Text> : ''}
    </Text>
  );
}
