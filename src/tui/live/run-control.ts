import type { RunStatus, Store } from '../../domain/types.js';
import type { RunListener } from '../../runner/events.js';
import { openRequested, type RunSession } from '../../runner/session/session.js';
import type { RunRequest } from '../../runner/session/spec.js';

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

interface RunControlOptions {
  onEvent: RunListener;
  onUpdate(update: ControlUpdate): void;
  env?: NodeJS.ProcessEnv;
  /** For tests: how a session is opened. */
  open?: (store: Store, request: RunRequest) => Promise<RunSession>;
}

/**
 * The phases of a run on screen, as a person pauses, resumes and stops it; the run session does the
 * work. A stop ends the run as Ctrl-C does, resumable later with `govbench run --resume`.
 */
export class RunControl {
  private session: RunSession | null = null;
  private stopRequested = false;
  private phase: ControlPhase = 'starting';
  /** How the run ended; null when it was stopped before it started. */
  readonly done: Promise<RunStatus | null>;

  constructor(store: Store, request: RunRequest, private readonly opts: RunControlOptions) {
    const open = opts.open ?? ((s: Store, r: RunRequest) => openRequested(s, r, { ...(opts.env && { env: opts.env }) }));
    this.done = this.drive(() => open(store, request));
  }

  get current(): ControlPhase {
    return this.phase;
  }

  pause(): void {
    if (this.phase !== 'running') return;
    this.set({ phase: 'pausing' });
    void this.session!.hold().then(() => {
      if (this.phase === 'pausing') this.set({ phase: 'paused' });
    });
  }

  resume(): void {
    if (this.phase !== 'paused' && this.phase !== 'pausing') return;
    this.session!.release();
    this.set({ phase: 'running' });
  }

  /** Stops for good (resumable later); resolves when the cases in flight are saved. */
  stop(): Promise<RunStatus | null> {
    if (this.phase !== 'ended') {
      this.stopRequested = true;
      if (this.phase !== 'starting') this.set({ phase: 'stopping' });
      this.session?.stop();
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
        this.session = session;
        this.set({ phase: 'running', runId: session.runId });
        status = (await session.run(this.opts.onEvent)).status;
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
