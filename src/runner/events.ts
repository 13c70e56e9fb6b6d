import type { ErrorKind, RunStatus, VerdictLabel } from '../domain/types.js';

/** What the runner tells its watchers (CLI progress lines, the TUI); it never draws anything itself. */
export type RunEvent =
  | {
      type: 'run-started';
      runId: string;
      resumed: boolean;
      /** Planned cases per target, and how many of them were already done before this start. */
      targets: { id: string; name: string; region: string; planned: number; done: number }[];
    }
  | {
      type: 'case-finished';
      runId: string;
      targetId: string;
      questionId: string;
      variant: number;
      available: boolean;
      errorKind: ErrorKind | null;
      verdict: VerdictLabel | 'unjudged' | null;
      accuracy: number | null;
      firstMs: number | null;
    }
  | { type: 'run-finished'; runId: string; status: RunStatus; durationMs: number };

export type RunListener = (event: RunEvent) => void;
