/**
 * Fixtures for the terminal UI's tests: runs seeded into a real SQLite store from the demo-bank
 * fixture, and helpers to press keys and wait for frames of ink-testing-library.
 */
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadBanks } from '../src/banks/load-banks.js';
import type { FailureKind, JudgedVerdict, RegionId, RunStatus, Store, Target, Turn, VerdictLabel } from '../src/domain/types.js';

export const BANK_DIR = 'test/fixtures/demo-bank';
export const TARGETS_FILE = 'test/fixtures/tui/targets.yaml';
export const banks = loadBanks([BANK_DIR]);

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  home: '\u001B[H',
  end: '\u001B[F',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  tab: '\t',
  ctrlU: '\u0015',
  ctrlC: '\u0003',
} as const;

/** Writes keys one at a time, letting Ink and React settle after each. */
export async function press(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await sleep(k === KEY.escape ? 30 : 15);
  }
}

/** Waits until the last frame passes `check` (text it contains, or a predicate); fails with the frame. */
export async function waitForFrame(lastFrame: () => string | undefined, check: string | RegExp | ((frame: string) => boolean), timeoutMs = 5000): Promise<string> {
  const ok = (f: string) => (typeof check === 'string' ? f.includes(check) : check instanceof RegExp ? check.test(f) : check(f));
  const until = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (ok(frame)) return frame;
    if (Date.now() > until) throw new Error(`timed out waiting for ${String(check)}; last frame:\n${frame}`);
    await sleep(10);
  }
}

const ACCURACY: Record<VerdictLabel, number> = { correct: 1, partial: 0.5, incorrect: 0, 'no-answer': 0 };

export function judged(judge: string, verdict: VerdictLabel, keyPointsHit: string[] = [], rationale = `${judge} says ${verdict}`): JudgedVerdict {
  return {
    status: 'judged',
    judge,
    turn: 0,
    intentRecognized: verdict === 'correct' || verdict === 'partial',
    predictedIntent: null,
    verdict,
    accuracy: ACCURACY[verdict],
    keyPointsHit,
    factErrors: [],
    contradictions: [],
    rationale,
  };
}

export interface SeedCase {
  target: string;
  question: string;
  variant?: number;
  repeat?: number;
  reply: string;
  /** A technical failure instead of a reply. */
  failed?: boolean;
  matcher?: VerdictLabel;
  llm?: VerdictLabel;
  keyPoints?: string[];
  /** The failure kind the judges give where their verdict is not correct. */
  failure?: FailureKind;
}

export interface SeedRun {
  id: string;
  label?: string;
  judge: 'matcher' | 'llm' | 'both';
  status?: RunStatus;
  targets: { id: string; name: string; region: RegionId; role?: string }[];
  cases: SeedCase[];
  /** Planned cases per target. @default cases per target */
  planned?: number;
}

const target = (t: SeedRun['targets'][number]): Target => ({
  ...t,
  adapter: { type: 'http-json', url: 'http://127.0.0.1:9', method: 'POST', headers: {}, reply: '$.a' },
  limits: { concurrency: 1, timeoutMs: 1000, retries: 0 },
  pos: { file: 'seed', line: 1, column: 1 },
});

/** Stores a run as the runner would: recorded options, targets, and every case with its verdicts. */
export function seedRun(store: Store, run: SeedRun): number[] {
  store.createRun({
    id: run.id,
    ...(run.label !== undefined && { label: run.label }),
    banksHash: banks.hash,
    judge: run.judge,
    options: { banks: [resolve(BANK_DIR)], targets: resolve(TARGETS_FILE), target: run.targets.map((t) => t.id), judge: run.judge, repeat: 1 },
    targets: run.targets.map((t) => ({ target: target(t), planned: run.planned ?? run.cases.filter((c) => c.target === t.id).length })),
  });
  const ids = run.cases.map((c) => {
    const q = banks.questions.find((x) => x.id === c.question);
    if (!q) throw new Error(`no question ${c.question} in ${BANK_DIR}`);
    const variant = c.variant ?? 0;
    const turn: Turn = {
      index: 0,
      user: variant === 0 ? q.text : q.variants[variant - 1]!.text,
      reply: c.failed ? '' : c.reply,
      raw: JSON.stringify({ a: c.reply }),
      ok: !c.failed,
      ...(c.failed && { errorKind: 'http-status' as const, httpStatus: 502, error: 'HTTP 502' }),
      firstMs: 120,
      totalMs: 180,
      attempts: 1,
    };
    const withKind = (v: JudgedVerdict): JudgedVerdict => (c.failure && v.verdict !== 'correct' ? { ...v, failure: c.failure } : v);
    const verdicts = [
      ...(c.matcher ? [{ verdict: withKind(judged('matcher', c.matcher, c.keyPoints)), version: 'm1' }] : []),
      ...(c.llm ? [{ verdict: withKind(judged('llm', c.llm, c.keyPoints)), version: 'l1' }] : []),
    ];
    return store.saveCase({
      runId: run.id,
      case: { targetId: c.target, questionId: q.id, variant, style: variant === 0 ? 'canonical' : q.variants[variant - 1]!.style, repeat: c.repeat ?? 1 },
      question: q,
      turns: [turn],
      verdicts,
    });
  });
  store.setRunStatus(run.id, run.status ?? 'finished');
  return ids;
}
