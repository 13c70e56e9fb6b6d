import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { RunStatus, Store } from '../../domain/types.js';
import type { RunEvent } from '../../runner/events.js';
import { UserError } from '../../util/errors.js';
import { FRAME_MS } from './live-view.js';
import { RunControl, type ControlPhase, type ControlUpdate } from './run-control.js';
import type { RunRequest } from '../../runner/session/spec.js';
import { initialRunState, reduceRun, type RunState } from './run-state.js';

type LivePhase = 'idle' | ControlPhase;

export interface LiveState {
  phase: LivePhase;
  run: RunState;
  runId: string | null;
  /** How the last run ended. */
  status: RunStatus | null;
  error: string | null;
  /** Where a bug of ours was thrown, when one ended the run; a user's mistake has none. */
  stack: string | null;
  /** The first target row shown. */
  offset: number;
  /** The clock of the last frame, for throughput and ETA. */
  now: number;
}

type LiveAction =
  | { type: 'start'; now: number }
  | { type: 'update'; update: ControlUpdate }
  | { type: 'events'; events: readonly RunEvent[]; now: number }
  | { type: 'scroll'; delta: number; rows: number };

export const initialLiveState: LiveState = { phase: 'idle', run: initialRunState, runId: null, status: null, error: null, stack: null, offset: 0, now: 0 };

export function reduceLive(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case 'start':
      return { ...initialLiveState, phase: 'starting', now: action.now };
    case 'update': {
      const u = action.update;
      // Throughput and ETA count from the resume: the paused time asked nothing. (`now` is fresh: the
      // events are flushed before every update.)
      const resumed = u.phase === 'running' && (state.phase === 'paused' || state.phase === 'pausing');
      return {
        ...state,
        ...(resumed && { run: { ...state.run, doneHere: 0, startedAt: state.now } }),
        phase: u.phase,
        runId: u.runId ?? state.runId,
        ...(u.phase === 'ended' && { status: u.status ?? null, error: u.error?.message ?? null, stack: bugStack(u.error) }),
      };
    }
    case 'events':
      return { ...state, now: action.now, run: action.events.reduce((s, e) => reduceRun(s, e, action.now), state.run) };
    case 'scroll': {
      const max = Math.max(0, state.run.targets.length - action.rows);
      return { ...state, offset: Math.max(0, Math.min(max, state.offset + action.delta)) };
    }
  }
}

function bugStack(error: Error | undefined): string | null {
  return error === undefined || error instanceof UserError ? null : (error.stack ?? null);
}

/** A run is going (or paused) and holds the store and a fleet. */
export function isActive(phase: LivePhase): boolean {
  return phase !== 'idle' && phase !== 'ended';
}

export interface LiveRunHandle {
  state: LiveState;
  start(request: RunRequest): void;
  pause(): void;
  resume(): void;
  /** Stops the run, if one is going; resolves with how it ended. */
  stop(): Promise<RunStatus | null>;
  scroll(delta: number, rows: number): void;
}

/**
 * The run state of the app: one run at a time, driven through RunControl. Runner events are
 * buffered and folded into the state once a frame, however fast they come.
 */
export function useLiveState(store: Store, env?: NodeJS.ProcessEnv): LiveRunHandle {
  const [state, dispatch] = useReducer(reduceLive, initialLiveState);
  const control = useRef<RunControl | null>(null);
  const buffer = useRef<RunEvent[]>([]);
  const flush = useCallback(() => {
    const events = buffer.current;
    buffer.current = [];
    dispatch({ type: 'events', events, now: performance.now() });
  }, []);

  const active = isActive(state.phase);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(flush, FRAME_MS);
    return () => clearInterval(timer);
  }, [active, flush]);

  const start = useCallback(
    (request: RunRequest) => {
      if (control.current && control.current.current !== 'ended') return;
      buffer.current = [];
      dispatch({ type: 'start', now: performance.now() });
      control.current = new RunControl(store, request, {
        onEvent: (e) => buffer.current.push(e),
        onUpdate: (update) => {
          flush();
          dispatch({ type: 'update', update });
        },
        ...(env && { env }),
      });
    },
    [store, env, flush],
  );
  const pause = useCallback(() => control.current?.pause(), []);
  const resume = useCallback(() => control.current?.resume(), []);
  const stop = useCallback(async () => (control.current ? control.current.stop() : null), []);
  const scroll = useCallback((delta: number, rows: number) => dispatch({ type: 'scroll', delta, rows }), []);
  return { state, start, pause, resume, stop, scroll };
}
