import type { RunStatus } from '../../domain/types.js';
import type { RunEvent } from '../../runner/events.js';

/** What the live view knows about one target. */
export interface TargetProgress {
  id: string;
  name: string;
  region: string;
  planned: number;
  done: number;
  /** Technical failures among the done cases. */
  errors: number;
  judged: number;
  accuracySum: number;
  /** Recent first-reply latencies (a bounded window) for a running median. */
  latencies: number[];
}

export interface RunState {
  runId: string | null;
  status: RunStatus | 'starting';
  targets: TargetProgress[];
  planned: number;
  done: number;
  /** Cases finished in this process (not counting those done before a resume): for throughput. */
  doneHere: number;
  errors: number;
  startedAt: number | null;
  durationMs: number | null;
  /** The newest technical failures, newest first. */
  failures: { targetId: string; questionId: string; errorKind: string }[];
}

const LATENCY_WINDOW = 50;
const FAILURES_KEPT = 5;

export const initialRunState: RunState = {
  runId: null,
  status: 'starting',
  targets: [],
  planned: 0,
  done: 0,
  doneHere: 0,
  errors: 0,
  startedAt: null,
  durationMs: null,
  failures: [],
};

/** Folds runner events into the live view's state; pure, so the view can be tested frame by frame. */
export function reduceRun(state: RunState, event: RunEvent, now: number): RunState {
  switch (event.type) {
    case 'run-started': {
      const targets = event.targets.map((t) => ({ ...t, errors: 0, judged: 0, accuracySum: 0, latencies: [] }));
      return {
        ...state,
        runId: event.runId,
        status: 'running',
        targets,
        planned: targets.reduce((n, t) => n + t.planned, 0),
        done: targets.reduce((n, t) => n + t.done, 0),
        // Throughput counts from this start: a resumed run's earlier cases took no time here.
        doneHere: 0,
        startedAt: now,
      };
    }
    case 'case-finished': {
      const targets = state.targets.map((t) => {
        if (t.id !== event.targetId) return t;
        const latencies = event.firstMs === null ? t.latencies : [...t.latencies.slice(-(LATENCY_WINDOW - 1)), event.firstMs];
        return {
          ...t,
          done: t.done + 1,
          errors: t.errors + (event.available ? 0 : 1),
          judged: t.judged + (event.accuracy === null ? 0 : 1),
          accuracySum: t.accuracySum + (event.accuracy ?? 0),
          latencies,
        };
      });
      const failures = event.available
        ? state.failures
        : [{ targetId: event.targetId, questionId: event.questionId, errorKind: event.errorKind ?? 'error' }, ...state.failures].slice(0, FAILURES_KEPT);
      return { ...state, targets, done: state.done + 1, doneHere: state.doneHere + 1, errors: state.errors + (event.available ? 0 : 1), failures };
    }
    case 'run-finished':
      return { ...state, status: event.status, durationMs: event.durationMs };
  }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
