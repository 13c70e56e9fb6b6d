import { userInfo } from 'node:os';
import { Box, render, useApp } from 'ink';
import { useCallback, useEffect } from 'react';
import type { Store } from '../domain/types.js';
import { openStore } from '../store/index.js';
import { Footer, Header } from './chrome.js';
import { Compare } from './compare/compare.js';
import type { LaunchForm } from './launch/launch-model.js';
import { Launch } from './launch/launch.js';
import { LiveScreen } from './live/live.js';
import { Results } from './results/results.js';
import { Review } from './review/review.js';
import type { RunRequest } from '../runner/session/spec.js';
import { EXIT } from '../util/exit-codes.js';
import { useAppKeys } from './use-app.js';
import { useAppState } from './use-app-state.js';
import { isActive, useLiveState } from './live/use-live-state.js';
import { useTerminalSize } from './use-terminal-size.js';

interface AppProps {
  readonly store: Store;
  readonly dbPath: string;
  /** Recorded with review decisions. */
  readonly reviewer: string;
  /** Environment for `${VAR}` in targets and the LLM judge's endpoint. */
  readonly env?: NodeJS.ProcessEnv;
  /** Starting values of the launch form. */
  readonly launch?: Partial<LaunchForm>;
  readonly onExit: (code: number) => void;
}

/**
 * The terminal UI: one container owns the app state and the run (which goes on while other screens
 * are shown); every screen gets what it shows as props.
 */
export function App({ store, dbPath, reviewer, env, launch, onExit }: AppProps) {
  const { columns, rows } = useTerminalSize();
  const [state, dispatch, getState] = useAppState();
  const live = useLiveState(store, env);
  const { exit } = useApp();
  const runActive = isActive(live.state.phase);
  const { phase, runId, status } = live.state;
  const leftStopped = phase === 'ended' && status === 'interrupted';

  const quit = useCallback(() => {
    if (getState().quitting) return;
    dispatch({ type: 'quitting' });
    void live.stop().then((stopped) => {
      onExit(stopped === 'interrupted' || leftStopped ? EXIT.interrupted : EXIT.done);
      // Let React flush the last frame before the tree is torn down.
      setImmediate(() => exit());
    });
  }, [getState, dispatch, live, leftStopped, onExit, exit]);
  useAppKeys({ getState, dispatch, runActive, onQuit: quit });

  useEffect(() => {
    if (phase === 'ended' && runId && status !== 'failed') dispatch({ type: 'select-run', runId });
  }, [phase, runId, status, dispatch]);

  const onEditing = useCallback((editing: boolean) => dispatch({ type: 'editing', editing }), [dispatch]);
  const onStart = useCallback(
    (request: RunRequest) => {
      live.start(request);
      dispatch({ type: 'show', tab: 'live' });
    },
    [live, dispatch],
  );
  const onOpenResults = useCallback((id: string) => dispatch({ type: 'select-run', runId: id, tab: 'results' }), [dispatch]);
  const onSelectRun = useCallback((id: string) => dispatch({ type: 'select-run', runId: id }), [dispatch]);

  // One line fewer than the terminal: a frame as tall as the terminal makes Ink clear the screen on every update.
  const height = Math.max(6, rows - 3);
  const active = !state.quitting;
  const screen = (() => {
    const common = { store, width: columns, height };
    switch (state.tab) {
      case 'launch':
        return (
          <Launch
            {...common}
            isActive={active}
            activeRunId={runActive ? runId : null}
            runActive={runActive}
            {...(launch && { initial: launch })}
            onStart={onStart}
            onEditing={onEditing}
            {...(env && { env })}
          />
        );
      case 'live':
        return <LiveScreen live={live} width={columns} height={height} isActive={active} dbPath={dbPath} onOpenResults={onOpenResults} />;
      case 'results':
        return <Results {...common} runId={state.runId} isActive={active} onSelectRun={onSelectRun} />;
      case 'review':
        return <Review {...common} runId={state.runId} reviewer={reviewer} isActive={active} />;
      case 'compare':
        return <Compare {...common} isActive={active} />;
    }
  })();
  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Header tab={state.tab} dbPath={dbPath} runActive={runActive} />
      <Box flexDirection="column" height={height} overflow="hidden">
        {screen}
      </Box>
      <Footer quitting={state.quitting} runActive={runActive} />
    </Box>
  );
}

interface StartAppOptions {
  /** The results database. */
  db: string;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Recorded with review decisions. @default the login name */
  reviewer?: string;
  env?: NodeJS.ProcessEnv;
  /** Starting values of the launch form (targets file, banks, …). */
  launch?: Partial<LaunchForm>;
}

/**
 * Opens the terminal UI on a results database; resolves with the exit code when the person quits:
 * 3 when a run was left stopped (resumable), else 0.
 */
export async function startApp(opts: StartAppOptions): Promise<number> {
  const store = openStore(opts.db);
  let code: number = EXIT.done;
  try {
    const app = render(
      <App
        store={store}
        dbPath={opts.db}
        reviewer={opts.reviewer ?? userInfo().username}
        {...(opts.env && { env: opts.env })}
        {...(opts.launch && { launch: opts.launch })}
        onExit={(c) => (code = c)}
      />,
      {
        stdout: opts.stdout ?? process.stdout,
        stdin: opts.stdin ?? process.stdin,
        exitOnCtrlC: false,
        patchConsole: false,
        // Ink's incremental mode (rewrite changed lines only) leaves stale lines behind in 6.8; the standard
        // mode redraws inside synchronized-output brackets, which terminals show without flicker.
      },
    );
    await app.waitUntilExit();
  } finally {
    store.close();
  }
  return code;
}
