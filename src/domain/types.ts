/**
 * The domain of govbench, defined once. Every part imports these types; none redefines them.
 * Shapes read from files are validated by the schemas in `src/banks` and `src/config`; past that
 * boundary the code trusts these types.
 */

/** The seven traditional regions of China used to group targets. */
export const REGIONS = ['east', 'south', 'central', 'north', 'southwest', 'northeast', 'northwest'] as const;
export type RegionId = (typeof REGIONS)[number];

/** The four verdicts of the rubric (SPEC §4). */
export const VERDICTS = ['correct', 'partial', 'incorrect', 'no-answer'] as const;
export type VerdictLabel = (typeof VERDICTS)[number];

/**
 * How a run is judged (SPEC §4): `both` applies the LLM and the matcher, and the LLM's verdict counts;
 * `cascade` asks the LLM only where the matcher abstains.
 */
export const JUDGE_MODES = ['matcher', 'llm', 'both', 'cascade'] as const;
export type JudgeMode = (typeof JUDGE_MODES)[number];

/** The matter id that holds out-of-scope questions (SPEC §2); its questions merge across files. */
export const OUT_OF_SCOPE = 'out-of-scope';

/** Where a value was read from, for error messages and provenance. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** A national regulation or document that reference facts come from. */
export interface Source {
  title: string;
  issuer?: string;
  year?: number;
  article?: string;
  /** When the text took effect (YYYY-MM-DD, YYYY-MM or YYYY). */
  effective?: string;
  /** When it was repealed or replaced. */
  repealed?: string;
}

/** A value an old rule stated; said with its unit in a sentence holding a context phrase, it is outdated. */
export interface OldFact {
  text: string;
  value: number;
  unit: string;
  context: Pattern[];
}

/** A rule that no longer holds, and what it said (an answer repeating it is `incorrect`, outdated). */
export interface SupersededRule {
  id: string;
  /** The old rule as an answer might know it (title and article). */
  rule: string;
  repealed?: string;
  replacedBy?: string;
  /** Aspect ids it applies to; absent: every aspect of the matter. */
  aspects?: string[];
  facts: OldFact[];
  statements: Pattern[];
}

export interface Matter {
  id: string;
  name: string;
  nameEn?: string;
  aliases: string[];
  department?: string;
  sources: Source[];
  /** When a person last checked the bank against its sources. */
  reviewed?: string;
  superseded: SupersededRule[];
  /** Where the matter is defined (its first file, for out-of-scope). */
  pos?: SourcePos;
}

/** One intent inside a matter; its id is `<matter.id>/<aspect.id>`. */
export interface Intent {
  id: string;
  matterId: string;
  aspectId: string;
  name: string;
}

/** A matcher pattern: a plain phrase, or `/pattern/flags`. */
export type Pattern = string;

export interface KeyPoint {
  id: string;
  text: string;
  match: Pattern[];
}

/** A checkable value in a reference; another value stated with the same unit is an error. */
export interface Fact {
  id: string;
  text: string;
  value: number;
  /** As written in the bank; judges normalise it (天 = 日, 月 = 个月, 岁 = 周岁). */
  unit: string;
  /** Phrases that mark the sentence stating this fact; empty: anywhere. */
  context: string[];
  /** Other values the law allows (an extension, an exception), each lawful in its own context. */
  also: AlsoValue[];
}

export interface AlsoValue {
  value: number;
  /** Phrases of the sentence in which the value is lawful; empty: wherever the fact applies. */
  context: Pattern[];
  /** Where the law says so. */
  source: string;
}

export interface Reference {
  answer: string;
  keyPoints: KeyPoint[];
  /** @default keyPoints.length */
  minKeyPoints: number;
  facts: Fact[];
  contradictions: Pattern[];
}

export interface Variant {
  style: string;
  text: string;
}

/** One user turn of a multi-turn script. */
export interface ScriptTurn {
  user: string;
  /** `clarify`: the bot should ask which matter is meant before answering. */
  expect?: 'clarify';
}

export interface Question {
  id: string;
  matterId: string;
  aspectId: string;
  /** `<matterId>/<aspectId>` */
  intent: string;
  /** The canonical text; for a multi-turn script, the first user turn. */
  text: string;
  variants: Variant[];
  /** Present for multi-turn scripts; single questions have none. */
  turns?: ScriptTurn[];
  critical: boolean;
  reference: Reference;
  pos: SourcePos;
}

/** Every loaded bank merged: what the runner plans over and the judges compare against. */
export interface BankSet {
  matters: Matter[];
  intents: Intent[];
  questions: Question[];
  /** Content hash of the loaded banks (sha256 hex over the normalised questions). */
  hash: string;
  files: string[];
}

/** The variant index 0 is the question's own text; 1.. are its variants (1-based, as in calibration). */
export const CANONICAL_STYLE = 'canonical';

export interface Limits {
  concurrency: number;
  perMinute?: number;
  timeoutMs: number;
  retries: number;
}

export interface HttpJsonAdapterConfig {
  type: 'http-json';
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  /** A JSON template; strings may hold `{{message}}`, `{{sessionId}}` and `${VAR}`. */
  body?: unknown;
  /** How the body is encoded: JSON, or `application/x-www-form-urlencoded` from a flat template. @default 'json' */
  bodyFormat?: 'json' | 'form';
  /**
   * JSONPath into the response for the reply text; several matches (a reply split over messages)
   * are joined. For `stream: 'sse'`, applied to each event's JSON data.
   */
  reply: string;
  /** JSONPath into the response for a session id carried into the next turn. */
  session?: string;
  /** Carry cookies the target sets into the conversation's next turns (cookie sessions). */
  cookies?: boolean;
  /** The reply comes as Server-Sent Events; text fragments are concatenated until the stream ends. */
  stream?: 'sse';
  /** Statuses that count as a reply (some vendors answer 200 only, others 201 or 202). @default 200–299 */
  validateStatus?: number[];
  /** Where to ask whether the target is up (availability probe); absent: the chat URL is probed. */
  health?: { url: string; method?: 'GET' | 'HEAD' | 'POST'; expectStatus?: number[] };
}

export interface OpenAiChatAdapterConfig {
  type: 'openai-chat';
  /** An OpenAI-compatible base URL, e.g. https://host/v1 */
  baseURL: string;
  model: string;
  /** Usually `${VAR}`; absent for endpoints without keys. */
  apiKey?: string;
  /** A system prompt sent first in every conversation. */
  system?: string;
  /** @default 0 */
  temperature?: number;
  maxTokens?: number;
  headers?: Record<string, string>;
  /** Ask for a streamed reply, to record the time to the first token. @default true */
  stream?: boolean;
}

/** One thing to do on the page before chatting. */
export type WidgetStep =
  | { click: string }
  | { fill: string; text: string }
  | { waitFor: string }
  | { frame: string }
  | { press: string; key: string }
  | { wait: number };

export interface WebWidgetAdapterConfig {
  type: 'web-widget';
  url: string;
  steps: WidgetStep[];
  selectors: {
    /** Clicked once to open a collapsed widget. */
    open?: string;
    input: string;
    /** Absent: Enter is pressed in the input. */
    send?: string;
    /** Every bot message; the newest one after sending is the reply. */
    botMessage: string;
  };
  /** How long the newest bot message must stay unchanged to count as finished. @default 1500 */
  quietMs: number;
  /** Where failure screenshots go. @default 'results/screenshots' */
  screenshotDir?: string;
}

export interface SimulatedAdapterConfig {
  type: 'simulated';
  persona: string;
  /** Base URL of a running demo fleet; absent: the runner starts one in-process. */
  fleet?: string;
}

export type AdapterConfig = HttpJsonAdapterConfig | OpenAiChatAdapterConfig | WebWidgetAdapterConfig | SimulatedAdapterConfig;
export type AdapterType = AdapterConfig['type'];

export interface Target {
  id: string;
  name: string;
  region: RegionId;
  province?: string;
  tier?: string;
  /** A regression pair's shared role (e.g. a province assistant across releases). */
  role?: string;
  /** Absent: configured in the registry but not reachable yet (no endpoint filled in). */
  adapter: AdapterConfig | null;
  limits: Limits;
  pos: SourcePos;
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

export const ERROR_KINDS = ['timeout', 'connect', 'http-status', 'parse', 'empty', 'browser', 'unavailable', 'config'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

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
  /** A screenshot of the page when a widget turn failed. */
  screenshot?: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

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
  /** How sure the judge is of this verdict, 0–1; absent where the judge does not say. */
  confidence?: number;
  /**
   * Present when the judge abstains: why its evidence cannot settle the verdict. The verdict fields are
   * its best guess; the case waits for another judge or a reviewer and stays out of scores until then.
   */
  uncertain?: string;
  rationale: string;
}

export interface UnjudgedVerdict {
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
export interface Scores {
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
}

/** What one attempt at one turn brought back. */
export interface AdapterReply {
  /** The reply as text (HTML turned into text where the adapter knows how). */
  text: string;
  /** The response body as received, truncated. */
  raw: string;
  httpStatus?: number;
  /** Time to the first byte of the reply. */
  firstMs: number;
  /** Time to the finished reply. */
  totalMs: number;
  usage?: TokenUsage;
}

/**
 * One conversation with a chatbot. Turns are sent in order; the adapter carries the session
 * (ids, cookies, history) between them.
 */
export interface Conversation {
  /** Sends one user message; throws an AdapterError on a technical failure. */
  send(message: string, signal: AbortSignal): Promise<AdapterReply>;
  close(): Promise<void>;
}

/** A way of reaching chatbots of one kind (SPEC §3); created from a target's adapter config. */
export interface Adapter {
  readonly name: AdapterType;
  open(): Conversation;
  /** Asks whether the target is up at all, without a conversation: the availability probe. */
  probe?(signal: AbortSignal): Promise<boolean>;
  /** Releases shared resources (browsers, agents). */
  close(): Promise<void>;
}
