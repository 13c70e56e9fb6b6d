import type { SourcePos } from './bank.js';

/** Chatbots under test (SPEC §3): where they are, how they are reached, and what one exchange brings back. */

/** The seven traditional regions of China used to group targets. */
export const REGIONS = ['east', 'south', 'central', 'north', 'southwest', 'northeast', 'northwest'] as const;
export type RegionId = (typeof REGIONS)[number];

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
  /**
   * JSONPath into the response for suggested questions: strings, or objects whose `title`, `text`,
   * `question`, `name` or `content` is the question. Absent: a numbered list after a line such as
   * 您是不是想问 in the reply text is taken.
   * @example '$.data.recommends[*]'
   */
  suggestions?: string;
  /** JSONPath into the response for links: URLs, or objects with `href`/`url`/`link` and `text`/`title`/`name`. */
  links?: string;
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
  /** Clicks an element that opens the chat in a new window or tab; the next steps and the chat happen there. */
  | { popup: string }
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

interface SimulatedAdapterConfig {
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
  /**
   * How many times in a row a reply made only of suggested questions is followed — the closest one
   * clicked or sent, as a citizen would — before the case is left at the list. @default 0
   */
  followSuggestions?: number;
  limits: Limits;
  pos: SourcePos;
}


export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** A link in a reply, as the page or API gave it. */
export interface ReplyLink {
  text: string;
  href: string;
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
  /**
   * Questions the reply offers to ask next, in order: clickable items, a numbered 您是不是想问 list,
   * quick-reply buttons. Absent or empty when it offers none.
   */
  suggestions?: string[];
  /** The reply is nothing but suggestions (with at most a line introducing them): no answer yet. */
  suggestionsOnly?: boolean;
  links?: ReplyLink[];
  /** A screenshot of the chat as the reply finished (web-widget, when evidence is kept). */
  screenshot?: string;
}

/**
 * One conversation with a chatbot. Turns are sent in order; the adapter carries the session
 * (ids, cookies, history) between them.
 */
export interface Conversation {
  /** Sends one user message; throws an AdapterError on a technical failure. */
  send(message: string, signal: AbortSignal): Promise<AdapterReply>;
  /**
   * Follows one of the suggestions of the last reply the way the page offers it (a widget clicks it).
   * Absent: the runner sends the suggestion's text with `send`.
   */
  follow?(suggestion: string, signal: AbortSignal): Promise<AdapterReply>;
  close(): Promise<void>;
}

/** A way of reaching chatbots of one kind (SPEC §3); created from a target's adapter config. */
export interface Adapter {
  readonly name: AdapterType;
  open(): Conversation;
  /** Asks whether the target is up at all, without a conversation: the availability probe. */
  probe?(signal: AbortSignal): Promise<boolean>;
  /**
   * Masks the secrets this adapter's configuration holds (expanded `${VAR}`s): the runner applies it to
   * a bug's stack, which may quote a URL or header. Absent where the configuration holds none.
   */
  redact?(text: string): string;
  /** Releases shared resources (browsers, agents). */
  close(): Promise<void>;
}

/**
 * What one preflight question (`govbench check`) found a target to be:
 * `ready` a non-empty reply came; `no-endpoint` none is configured; `unreachable` a timeout, a refused
 * connection or a 5xx; `blocked` a captcha or login wall, or HTTP 401/403/407/429; `no-reply` an empty
 * reply or any other failure.
 */
export type CheckStatus = 'ready' | 'no-endpoint' | 'unreachable' | 'blocked' | 'no-reply';

/** One target's preflight result, before it is sanitized for display. */
export interface TargetCheck {
  id: string;
  name: string;
  status: CheckStatus;
  /** Time to the first byte of the reply; null when none came. */
  firstReplyMs: number | null;
  /** The reply as the adapter returned it (untrusted text); null when none came. */
  reply: string | null;
  /** Why the target is not ready (adapter messages are already redacted); null when it is. */
  detail: string | null;
  /** Browser targets: the page after the reply, or at the failure. Absent when none could be taken. */
  screenshot?: string;
}
