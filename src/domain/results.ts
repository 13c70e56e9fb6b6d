/** What a run produces and judges: cases, turns, verdicts, scores. */

import type { Question } from './bank.js';
import type { FailureKind } from './failures.js';
import type { ReplyLink, TokenUsage } from './target.js';

/** The four verdicts of the rubric (SPEC §4). */
export const VERDICTS = ['correct', 'partial', 'incorrect', 'no-answer'] as const;
export type VerdictLabel = (typeof VERDICTS)[number];

/**
 * How a run is judged (SPEC §4): `both` applies the LLM and the matcher, and the LLM's verdict counts;
 * `cascade` asks the LLM only where the matcher abstains.
 */
export const JUDGE_MODES = ['matcher', 'llm', 'both', 'cascade'] as const;
export type JudgeMode = (typeof JUDGE_MODES)[number];

/**
 * Case styles beyond the bank's own phrasings: a question asked with the matter named by an alias
 * (`alias:<name>`, issue 15), a scenario played by a simulated citizen (`scenario:<citizen kind>`) and a
 * red-team probe (`probe`, issue 16). They are scored apart, never in the headline scores, so a run
 * that adds them stays comparable with one that did not.
 */
export const ALIAS_STYLE_PREFIX = 'alias:';
export const SCENARIO_STYLE_PREFIX = 'scenario:';
export const PROBE_STYLE = 'probe';

/**
 * The variant index of an alias case: `-1 - k`, where the matter is named by the k-th of
 * `[matter.name, ...matter.aliases]` (so -1 is the official name). Negative, so it never collides with
 * the question's own variants, and fixed by the banks, so a resume finds it again.
 */
export function aliasVariant(nameIndex: number): number {
  return -1 - nameIndex;
}

/** The case is one of the bank's questions as written (canonical or a variant): it counts in the headline scores. */
export function isHeadlineStyle(style: string): boolean {
  return !style.startsWith(ALIAS_STYLE_PREFIX) && !style.startsWith(SCENARIO_STYLE_PREFIX) && style !== PROBE_STYLE;
}

/** One planned unit of work: a question (or script) asked of a target. */
export interface Case {
  targetId: string;
  questionId: string;
  /** 0: canonical text; n ≥ 1: the n-th variant. */
  variant: number;
  style: string;
  repeat: number;
}

/**
 * Why a case has no answer, and whose failure it is: a city-side kind counts against the city's
 * availability; ours never does (see `isOurFailure`).
 *
 * The city's: `timeout`, `connect`, `http-status`, `parse`, `empty` (what its endpoint did),
 * `unavailable` (not asked while the circuit breaker holds its dead endpoint off), the walls in front
 * of its bot — `captcha` and `login` (the web-widget adapter finds them on the page when the chat
 * cannot be reached or stays silent), `handoff` (a reply that only hands the conversation to a human
 * agent) and `expired` (a reply saying the session expired), both found in the reply by the runner and
 * kept with it — `page-load` (a page whose navigation never finished), `blocked` (another wall an
 * adapter names as such), and `browser`: the web-widget adapter produces it
 * when the city's page misbehaves — an element that never appears, a page that navigates away, a
 * Playwright timeout on the page. A missing browser is ours, but the run's browser check stops the run
 * before it asks anything; a Chromium that is there yet will not start still shows as `browser` (a
 * known gap: it would belong under `config`).
 *
 * Ours: `bug` (an exception our code did not expect — in an adapter, the runner or a judge): never
 * retried, saved with its stack, and it ends the run. `config` (a target whose settings in our targets
 * file cannot work): nothing produces it at run time today, since targets are checked when their file
 * loads and a mistake there stops the run before it starts; whoever produces it must not blame the city.
 */
export type ErrorKind =
  | 'timeout'
  | 'connect'
  | 'http-status'
  | 'parse'
  | 'empty'
  | 'blocked'
  | 'captcha'
  | 'login'
  | 'handoff'
  | 'expired'
  | 'page-load'
  | 'browser'
  | 'unavailable'
  | 'config'
  | 'bug';

/** A failure of govbench's side (see ErrorKind): it says nothing of the city and counts in no score. */
export function isOurFailure(kind: ErrorKind | null): kind is 'bug' | 'config' {
  return kind === 'bug' || kind === 'config';
}

/**
 * The failure kind of a case whose turns failed on the city's side (issue 15): the walls in front of a
 * bot (captcha, login, an expired session, a page that never loads, a misbehaving page) are `blocked`;
 * ours (`bug`, `config`) say nothing of the city and get none.
 */
export function failureOfError(kind: ErrorKind): FailureKind | null {
  return ERROR_FAILURES[kind];
}

const ERROR_FAILURES: Readonly<Record<ErrorKind, FailureKind | null>> = {
  timeout: 'timeout',
  connect: 'connect',
  'http-status': 'http-status',
  parse: 'parse',
  empty: 'empty',
  blocked: 'blocked',
  captcha: 'blocked',
  login: 'blocked',
  expired: 'blocked',
  'page-load': 'blocked',
  browser: 'blocked',
  handoff: 'handoff',
  unavailable: 'unavailable',
  config: null,
  bug: null,
};

/**
 * A case's primary failure kind from its error and its effective verdict: a technical failure first
 * (the turns say it), else the kind stored with the verdict. None for a correct answer, and none while
 * the verdict is missing, unjudged or waiting for a reviewer (`uncertain`): those are not settled yet.
 */
export function caseFailure(errorKind: ErrorKind | null, verdict: Verdict | null): FailureKind | null {
  if (errorKind !== null) return failureOfError(errorKind);
  if (verdict?.status !== 'judged' || verdict.uncertain !== undefined || verdict.verdict === 'correct') return null;
  return verdict.failure ?? null;
}

/** One exchange of a conversation as it happened. */
export interface Turn {
  index: number;
  user: string;
  /** The reply as text, or '' when none came. */
  reply: string;
  /** The response body as received (truncated), for re-judging and audits. */
  raw: string;
  ok: boolean;
  errorKind?: ErrorKind;
  error?: string;
  httpStatus?: number;
  /** Time to the first byte of the reply. */
  firstMs: number;
  /** Time to the finished reply. */
  totalMs: number;
  attempts: number;
  /** Token usage reported by the target (openai-chat). */
  usage?: TokenUsage;
  /** A screenshot of the page when a widget turn failed, or as its reply finished when evidence is kept. */
  screenshot?: string;
  /** See AdapterReply. */
  suggestions?: string[];
  suggestionsOnly?: boolean;
  links?: ReplyLink[];
  /** The turn followed a suggestion of the previous reply instead of asking a text of the bank. */
  followed?: boolean;
  /** When the turn was sent (ISO 8601). */
  at?: string;
}

/**
 * How a case reached its answer: `direct` the question was answered; `followed` after following one or
 * more suggested questions; `left` the conversation ended at a list of suggestions.
 */
export type ReplyRoute = 'direct' | 'followed' | 'left';

export interface JudgedVerdict {
  status: 'judged';
  judge: string;
  /** Which user turn (0-based) this verdict is about. */
  turn: number;
  intentRecognized: boolean;
  predictedIntent: string | null;
  verdict: VerdictLabel;
  accuracy: number;
  keyPointsHit: string[];
  factErrors: string[];
  contradictions: string[];
  /** Ids of superseded rules the answer repeats (the verdict is then `incorrect`, outdated). */
  outdated?: string[];
  /**
   * Why the answer is not correct under this verdict (issue 15), classified from the verdict, the reply
   * and the question when the verdict is given (src/judge/failure-kind.ts), never by the judge itself.
   * Absent for a correct answer and for verdicts stored before kinds were (until `rejudge`).
   */
  failure?: FailureKind;
  /** How sure the judge is of this verdict, 0–1; absent where the judge does not say. */
  confidence?: number;
  /**
   * Present when the judge abstains: why its evidence cannot settle the verdict. The verdict fields are
   * its best guess; the case waits for another judge or a reviewer and stays out of scores until then.
   */
  uncertain?: string;
  rationale: string;
}

interface UnjudgedVerdict {
  status: 'unjudged';
  judge: string;
  turn: number;
  reason: string;
}

export type Verdict = JudgedVerdict | UnjudgedVerdict;

/** What a judge is asked: one answer to one question (or one turn of a script). */
export interface JudgeInput {
  question: Question;
  /** 0-based user turn the answer replies to; for single questions 0. */
  turn: number;
  answer: string;
}

/** A judge gives a verdict on one answer. It never learns which target produced it. */
export interface Judge {
  name: string;
  /** A content hash of the judge's rules, stored with every verdict. */
  version: string;
  judge(input: JudgeInput): Verdict | Promise<Verdict>;
  /** Releases what the judge holds (worker threads); absent when it holds nothing. */
  close?(): Promise<void>;
}

/**
 * Where an LLM judge keeps verdicts it already gave, keyed by (model, rubric hash, question,
 * reference, answer), so the same answer is never paid for twice.
 */
export interface JudgeCache {
  get(key: string): JudgedVerdict | undefined;
  set(entry: { key: string; judge: string; model: string; rubricHash: string; verdict: JudgedVerdict; usage?: TokenUsage }): void;
}

/** Scores on 0–100 (SPEC §5). */
interface Scores {
  intent: number;
  accuracy: number;
  availability: number;
  responsiveness: number;
  technicalSupport: number;
}
export type ScoreName = keyof Scores;
export const SCORE_NAMES: readonly ScoreName[] = ['intent', 'accuracy', 'availability', 'responsiveness', 'technicalSupport'];

export type Grade = 'excellent' | 'good' | 'average' | 'poor';

export type RunStatus = 'running' | 'finished' | 'interrupted' | 'failed';

/**
 * One finished case as scoring sees it: flat, one per case, streamed from the store.
 * `verdict` is the effective verdict (a reviewer's decision, else the configured judge's).
 */
export interface CaseRecord {
  targetId: string;
  questionId: string;
  matterId: string;
  aspectId: string;
  intent: string;
  variant: number;
  style: string;
  repeat: number;
  critical: boolean;
  /** A non-empty reply arrived for every turn within the timeout. */
  available: boolean;
  errorKind: ErrorKind | null;
  /** Time to the first reply of the conversation; null when none came. */
  firstMs: number | null;
  /** Time to the finished last reply; null when none came. */
  totalMs: number | null;
  verdict: Verdict | null;
  /** Absent for cases stored before routes were recorded, and for cases without a reply. */
  route?: ReplyRoute;
  /** The primary failure kind (see `caseFailure`); null for a correct, pending or unjudged case. */
  failure: FailureKind | null;
}
