import { join } from 'node:path';
import type { Store, Target, Turn, Verdict, VerdictLabel } from '../src/domain/types.js';
import { openStore } from '../src/store/index.js';

/** Markup an answer, a name or a rationale might carry; the reports must show it as text. */
export const SCRIPT = '<script>window.__pwned=1</script>';
export const IMG = '<img src=x onerror="window.__pwned=2">';
export const TEXTAREA = '</textarea>';

export const EVIL_NAME = `恶意市${SCRIPT}${IMG}`;
export const EVIL_REPLY = `${SCRIPT} 需要身份证, "原件" 和复印件，逗号,\n第二行 ${TEXTAREA}${IMG}`;
export const FORMULA_REPLY = '=HYPERLINK("http://127.0.0.1:1/x","点击")';
export const RUN_ID = 'run-html';

const target = (id: string, name: string, region: Target['region']): Target => ({
  id,
  name,
  region,
  adapter: { type: 'http-json', url: 'http://127.0.0.1:1', method: 'POST', headers: {}, reply: '$.a' },
  limits: { concurrency: 1, timeoutMs: 10_000, retries: 0 },
  pos: { file: 'targets.yaml', line: 1, column: 1 },
});

const QUESTIONS = {
  q1: { matterId: 'm1', aspectId: 'a', intent: 'm1/a', critical: false },
  q2: { matterId: 'm1', aspectId: 'b', intent: 'm1/b', critical: false },
  q3: { matterId: 'm2', aspectId: 'a', intent: 'm2/a', critical: true },
  q4: { matterId: 'm2', aspectId: 'b', intent: 'm2/b', critical: false },
} as const;
type QuestionId = keyof typeof QUESTIONS;

interface Spec {
  target: string;
  q: QuestionId;
  style?: string;
  /** Replies per turn; absent: one turn answered `答复`. */
  replies?: string[];
  firstMs?: number;
  /** Absent: no verdict. */
  v?: [VerdictLabel, number, string] | 'unjudged';
  /** The turn fails with a timeout. */
  timeout?: boolean;
}

const STYLES = ['canonical', 'colloquial', 'typo', 'indirect'];

/**
 * Three targets, four questions (q3 critical). Worst answers, worked out by hand (severity: incorrect,
 * no-answer, partial, failed; then critical, lower accuracy, earlier):
 * - sh: q2 (incorrect, variant 0 before its variant 1), q3 (no-answer), q1 (partial 0.5), q4 (failed);
 *   q1 canonical is correct and q4 colloquial unjudged: never listed.
 * - evil: q3 (incorrect, critical), q1 (incorrect), q4 (partial 0.5).
 * - bj: q2 (partial 0.25), q1 (partial 0.5).
 */
export const SPECS: Spec[] = [
  { target: 'sh', q: 'q1', v: ['correct', 1, '全部要点'] },
  { target: 'sh', q: 'q1', style: 'colloquial', v: ['partial', 0.5, '缺少要点'] },
  { target: 'sh', q: 'q2', replies: ['收费 50 元'], v: ['incorrect', 0, `事实错误 ${IMG}`] },
  { target: 'sh', q: 'q3', replies: ['请拨打 12345'], v: ['no-answer', 0, '只给热线'] },
  { target: 'sh', q: 'q4', timeout: true },
  { target: 'sh', q: 'q2', style: 'colloquial', replies: ['收费 80 元'], v: ['incorrect', 0, '事实错误'] },
  { target: 'sh', q: 'q4', style: 'colloquial', v: 'unjudged' },
  { target: 'evil', q: 'q1', replies: ['请问您要办理哪一种证件？', EVIL_REPLY], firstMs: 8000, v: ['incorrect', 0, `${SCRIPT}${TEXTAREA}`] },
  { target: 'evil', q: 'q2', v: ['correct', 1, 'ok'] },
  { target: 'evil', q: 'q3', replies: ['错误答复'], v: ['incorrect', 0, '关键事实错误'] },
  { target: 'evil', q: 'q4', replies: [FORMULA_REPLY], firstMs: 20000, v: ['partial', 0.5, '@risk'] },
  { target: 'bj', q: 'q1', firstMs: 500, v: ['correct', 1, 'ok'] },
  { target: 'bj', q: 'q2', firstMs: 600, v: ['correct', 1, 'ok'] },
  { target: 'bj', q: 'q3', firstMs: 700, v: ['correct', 1, 'ok'] },
  { target: 'bj', q: 'q4', firstMs: 800, v: ['correct', 1, 'ok'] },
  { target: 'bj', q: 'q1', style: 'typo', firstMs: 900, v: ['partial', 0.5, 'typo'] },
  { target: 'bj', q: 'q2', style: 'colloquial', firstMs: 900, v: ['partial', 0.25, 'colloquial'] },
];

function turnsOf(s: Spec): Turn[] {
  const firstMs = s.firstMs ?? 2000;
  if (s.timeout) {
    return [{ index: 0, user: `问题 ${s.q}`, reply: '', raw: '', ok: false, errorKind: 'timeout', error: 'no reply within 10000 ms', firstMs: 10_000, totalMs: 10_000, attempts: 1 }];
  }
  return (s.replies ?? ['答复']).map((reply, index) => ({
    index,
    user: index === 0 ? `问题 ${s.q}（${s.style ?? 'canonical'}）` : `追问 ${index}`,
    reply,
    raw: JSON.stringify({ a: reply }),
    ok: true,
    firstMs,
    totalMs: firstMs + 400,
    attempts: 1,
  }));
}

function verdictOf(s: Spec, turns: Turn[]): Verdict | null {
  const turn = turns.length - 1;
  if (s.v === undefined) return null;
  if (s.v === 'unjudged') return { status: 'unjudged', judge: 'matcher', turn, reason: 'judge failed: no verdict' };
  const [verdict, accuracy, rationale] = s.v;
  const q = QUESTIONS[s.q];
  const recognized = verdict === 'correct' || verdict === 'partial';
  return {
    status: 'judged',
    judge: 'matcher',
    turn,
    intentRecognized: recognized,
    predictedIntent: recognized ? q.intent : verdict === 'incorrect' ? 'm9/z' : null,
    verdict,
    accuracy,
    keyPointsHit: accuracy > 0 ? ['材料', '时限'] : [],
    factErrors: verdict === 'incorrect' ? ['收费'] : [],
    contradictions: [],
    rationale,
  };
}

/** A real SQLite file in `dir` holding the run above; the caller closes it. */
export function fillStore(dir: string): Store {
  const store = openStore(join(dir, 'govbench.db'));
  store.createRun({
    id: RUN_ID,
    label: `报告 ${SCRIPT}`,
    banksHash: 'feedface00112233',
    judge: 'matcher',
    options: {},
    targets: [
      { target: target('sh', '上海', 'east'), planned: 7 },
      { target: target('evil', EVIL_NAME, 'north'), planned: 4 },
      { target: target('bj', '北京', 'north'), planned: 6 },
    ],
  });
  for (const s of SPECS) {
    const style = s.style ?? 'canonical';
    const turns = turnsOf(s);
    const v = verdictOf(s, turns);
    store.saveCase({
      runId: RUN_ID,
      case: { targetId: s.target, questionId: s.q, variant: STYLES.indexOf(style), style, repeat: 0 },
      question: QUESTIONS[s.q],
      turns,
      verdicts: v ? [{ verdict: v, version: 'v1' }] : [],
    });
  }
  store.setRunStatus(RUN_ID, 'finished');
  return store;
}

/** Matter names carrying markup too, as a bank's display names could. */
export const MATTER_NAMES = [
  { id: 'm1', name: `示例事项${IMG}` },
  { id: 'm2', name: '事项二' },
];
