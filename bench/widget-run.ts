import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBrowserHost } from '../src/adapters/utils/browser.js';
import { createWebWidgetAdapter } from '../src/adapters/web-widget.js';
import type { Adapter, BankSet, Target, WebWidgetAdapterConfig } from '../src/domain/types.js';
import { createMatcherPool } from '../src/judge/matcher-pool/index.js';
import { runBenchmark } from '../src/runner/run.js';
import { openStore } from '../src/store/index.js';
import { sampleMemory, type MemoryPeaks } from './process-memory.js';

/** deep-chat's own elements, inside its shadow root (bench/widget.html). */
const DEEP_CHAT = { input: '#text-input', send: '.input-button:has(#submit-icon)', botMessage: '.ai-message-text' };

export interface WidgetRunOptions {
  banks: BankSet;
  /** The bench bot serving bench/widget.html on every GET. */
  botUrl: string;
  targets: number;
  /** Conversations in flight across all targets (the run's concurrency); each target has one at a time. */
  concurrency: number;
  quietMs: number;
  /** false: every conversation opens its page when it first sends, as before spare pages. */
  spares: boolean;
}

export interface WidgetRunResult {
  seconds: number;
  cases: number;
  answered: number;
  casesPerSecond: number;
  /** Per case: wall time from opening the conversation to closing it, less the reply's own time and quietMs. */
  overheadMedianMs: number;
  overheadP90Ms: number;
  memory: MemoryPeaks;
}

/**
 * A run through the real runner of `targets` widget targets on one shared Chromium, as a run of
 * city portals would be, every case timed by a thin wrapper around its conversation.
 */
export async function widgetRun(opts: WidgetRunOptions): Promise<WidgetRunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'govbench-bench-widget-'));
  const store = openStore(join(dir, 'g.db'));
  const host = createBrowserHost();
  const overheads: number[] = [];
  try {
    // Chromium's start is paid once per run, not per case: not part of what is measured.
    await (await host.newContext(opts.botUrl)).close();
    const targets = Array.from({ length: opts.targets }, (_, i): Target => ({
      id: `widget-${i}`,
      name: `widget ${i}`,
      region: 'east',
      adapter: { type: 'web-widget', url: `${opts.botUrl}/portal-${i}/`, steps: [], selectors: DEEP_CHAT, quietMs: opts.quietMs, screenshotDir: join(dir, 'shots') },
      limits: { concurrency: 1, timeoutMs: 20_000, retries: 0 },
      pos: { file: 'bench', line: 0, column: 0 },
    }));
    const createAdapter = (t: Target): Adapter =>
      timed(
        createWebWidgetAdapter({ config: t.adapter as WebWidgetAdapterConfig, browser: host, ...(!opts.spares && { spares: false }) }),
        opts.quietMs,
        overheads,
      );
    const pool = await createMatcherPool({ banks: opts.banks });
    const memory = sampleMemory();
    const t0 = performance.now();
    const r = await runBenchmark({ store, banks: opts.banks, targets, judges: [pool], judgeMode: 'matcher', concurrency: opts.concurrency, createAdapter });
    const seconds = (performance.now() - t0) / 1000;
    const peaks = memory.stop();
    await pool.close();
    let answered = 0;
    for (const c of store.storedCases(r.runId)) if (c.turns.every((t) => t.ok)) answered += 1;
    overheads.sort((a, b) => a - b);
    return {
      seconds,
      cases: r.done,
      answered,
      casesPerSecond: r.done / seconds,
      overheadMedianMs: overheads[Math.floor(overheads.length / 2)] ?? NaN,
      overheadP90Ms: overheads[Math.floor(overheads.length * 0.9)] ?? NaN,
      memory: peaks,
    };
  } finally {
    await host.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The adapter, with each answered conversation's time beyond its replies and their quiet periods added to `overheads`. */
function timed(adapter: Adapter, quietMs: number, overheads: number[]): Adapter {
  return {
    ...adapter,
    open() {
      const t0 = performance.now();
      const conversation = adapter.open();
      let replies = 0;
      let turns = 0;
      return {
        async send(message, signal) {
          const r = await conversation.send(message, signal);
          replies += r.totalMs + quietMs;
          turns += 1;
          return r;
        },
        async close() {
          await conversation.close();
          if (turns > 0) overheads.push(performance.now() - t0 - replies);
        },
      };
    },
  };
}
