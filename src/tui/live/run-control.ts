import type { RunStatus } from '../../domain/types.js';
import type { RunListener } from '../../runner/events.js';
import { RunHold } from '../../runner/run-hold.js';
import type { Store } from '../../domain/types.js';
import { openRunSession, type RunRequest, type RunSession } from './run-session.js';

/**
 * Where a controlled run is. `pausing`: no new case starts, those in flight finish; `paused`: none is
 * in flight. The run stays `running` in the store throughout a pause.
 */
export type ControlPhase = 'starting' | 'running' | 'pausing' | 'paused' | 'stopping' | 'ended';

export interface ControlUpdate {
  phase: ControlPhase;
  runId?: string;
  /** With `ended`: how the run ended (`failed` also when it could not start). */
  status?: RunStatus;
  error?: Error;
}

export interface RunControlOptions {
  onEvent: RunListener;
  onUpdate(update: ControlUpdate): void;
  env?: NodeJS.ProcessEnv;
  /** For tests: how a session is opened. */
  open?: (store: Store, request: RunRequest) => Promise<RunSession>;
}

/**
 * Starts a run and lets a person pause, resume and stop it. A pause holds the run (RunHold): the cases
 * in flight finish and are saved, no new one starts until it resumes. A stop ends it as Ctrl-C does,
 * resumable later with `govbench run --resume`.
 */
export class RunControl {
  private controller: AbortController | null = null;
  private readonly hold = new RunHold();
  private stopRequested = false;
  private phase: ControlPhase = 'starting';
  /** How the run ended; null when it was stopped before it started. */
  readonly done: Promise<RunStatus | null>;

  constructor(store: Store, request: RunRequest, private readonly opts: RunControlOptions) {
    const open = opts.open ?? ((s: Store, r: RunRequest) => openRunSession(s, r, opts.env));
    this.done = this.drive(() => open(store, request));
  }

  get current(): ControlPhase {
    return this.phase;
  }

  pause(): void {
    if (this.phase !== 'running') return;
    this.hold.hold();
    this.set({ phase: 'pausing' });
    void this.hold.idle().then(() => {
      if (this.phase === 'pausing') this.set({ phase: 'paused' });
    });
  }

  resume(): void {
    if (this.phase !== 'paused' && this.phase !== 'pausing') return;
    this.hold.release();
    this.set({ phase: 'running' });
  }

  /** Stops for good (resumable later); resolves when the cases in flight are saved. */
  stop(): Promise<RunStatus | null> {
    if (this.phase !== 'ended') {
      this.stopRequested = true;
      if (this.phase !== 'starting') this.set({ phase: 'stopping' });
      this.controller?.abort();
      this.hold.release();
    }
    return this.done;
  }

  private set(update: ControlUpdate): void {
    this.phase = update.phase;
    this.opts.onUpdate(update);
  }

  private async drive(open: () => Promise<RunSession>): Promise<RunStatus | null> {
    let session: RunSession;
    try {
      session = await open();
    } catch (error) {
      this.set({ phase: 'ended', status: 'failed', error: error as Error });
      return 'failed';
    }
    let status: RunStatus | null = null;
    try {
      if (!this.stopRequested) {
        this.controller = new AbortController();
        this.set({ phase: 'running', runId: session.runId });
        status = (await session.run(this.controller.signal, this.opts.onEvent, this.hold)).status;
      }
    } catch (error) {
      await session.close();
      this.set({ phase: 'ended', runId: session.runId, status: 'failed', error: error as Error });
      return 'failed';
    }
    await session.close();
    this.set({ phase: 'ended', runId: session.runId, ...(status !== null && { status }) });
    return status;
  }
}
