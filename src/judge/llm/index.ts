/**
 * The `llm` judge (SPEC §4): LangChain's ChatOpenAI against any OpenAI-compatible endpoint, a
 * reference-guided prompt from judges/llm/, structured output validated by zod, verdicts cached by
 * (model, rubric hash, question, reference, turn, answer). What may go wrong with an endpoint or a
 * model (see failure.ts) leaves the case `unjudged` with the reason; anything else it throws is a bug
 * of ours, which the runner records as such rather than as a verdict.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { HumanMessage, SystemMessage, type AIMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import pLimit from 'p-limit';
import { z } from 'zod';
import type { BankSet, Judge, JudgeCache, JudgedVerdict, JudgeInput, TokenUsage, Verdict } from '../../domain/types.js';
import { expandEnv, findEnvRefs, redact } from '../../config/env.js';
import { UserError } from '../../util/errors.js';
import { noAnswerFields, type VerdictFields } from '../rubric.js';
import { LLM_JUDGE } from '../modes.js';
import { describeError, describeParseFailure, type AttemptFailure } from './failure.js';
import { buildMessages, createPromptContext, newNonce, outdatedRulesFor } from './prompt.js';
import { createOutputSchema, type JudgeOutput } from './schema.js';
import { settleVerdict } from './settle.js';
import { loadLlmTemplates, render } from './templates.js';

/** How the structured output is requested; back ends without json_schema support need one of the others. */
const METHODS = ['functionCalling', 'jsonSchema', 'jsonMode'] as const;
type StructuredOutputMethod = (typeof METHODS)[number];

/** Any OpenAI-compatible chat endpoint. */
interface LlmEndpoint {
  /** @example 'https://dashscope.aliyuncs.com/compatible-mode/v1' */
  baseURL: string;
  /** @example 'qwen-plus' */
  model: string;
  /**
   * Usually `${VAR}`, expanded from the environment; the value is never logged or stored. Absent: a
   * placeholder is sent, for local endpoints that check no key.
   */
  apiKey?: string;
}

export interface LlmJudgeOptions {
  /** Every loaded bank: the candidate intents shown to the model. */
  banks: BankSet;
  endpoint: LlmEndpoint;
  /** @default 'functionCalling' */
  method?: StructuredOutputMethod;
  /** Verdicts already paid for (a store's `judgeCache`). Unjudged cases are never cached. */
  cache?: JudgeCache;
  /** Requests in flight at once. @default 4 */
  concurrency?: number;
  /** Further attempts after a failed request or unusable output. @default 2 */
  retries?: number;
  /** Per request. @default 60000 */
  timeoutMs?: number;
  /** Pause before retrying after an endpoint failure, doubled each time. @default 1000 */
  retryDelayMs?: number;
  /**
   * Called once per request to the endpoint (`failed`: the request or its output was unusable) and once
   * per cache hit (`cached`, zero tokens); the runner adds these to the run's judge usage.
   */
  onUsage?(usage: TokenUsage, cached: boolean, failed: boolean): void;
  /** @default judges/llm of this project */
  templatesDir?: string;
  /** Where `${VAR}` in the endpoint is looked up. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** The LLM judge; `version` is `<rubric hash prefix>@<model>`. */
interface LlmJudge extends Judge {
  /** sha256 hex of judges/llm/ (and the rules revision). */
  readonly rubricHash: string;
  readonly model: string;
  judge(input: JudgeInput): Promise<Verdict>;
}

const NO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0 };
const MAX_RETRY_DELAY_MS = 30_000;

type Attempt = ({ ok: true; output: JudgeOutput } | { ok: false; failure: AttemptFailure }) & { usage: TokenUsage };

/** Creates the LLM judge. Bad options are a UserError naming the option. */
export function createLlmJudge(opts: LlmJudgeOptions): LlmJudge {
  const method = opts.method ?? 'functionCalling';
  if (!METHODS.includes(method)) {
    throw new UserError(`llm judge: option \`method\` must be one of ${METHODS.join(', ')}, got ${String(method)}`);
  }
  const concurrency = positiveInt(opts.concurrency ?? 4, 'concurrency', 1);
  const retries = positiveInt(opts.retries ?? 2, 'retries', 0);
  const timeoutMs = positiveInt(opts.timeoutMs ?? 60_000, 'timeoutMs', 1);
  const retryDelayMs = positiveInt(opts.retryDelayMs ?? 1000, 'retryDelayMs', 0);
  const { baseURL, model, apiKey, secrets } = resolveEndpoint(opts.endpoint, opts.env ?? process.env);

  const templates = loadLlmTemplates(opts.templatesDir);
  const schema = createOutputSchema(
    opts.banks.intents.map((i) => i.id),
    templates.fields,
  );
  const jsonModeNote = method === 'jsonMode' ? `\n\n${render(templates.jsonMode, { schema: JSON.stringify(z.toJSONSchema(schema)) })}` : '';
  const ctx = createPromptContext(templates, opts.banks);
  const chat = new ChatOpenAI({
    model,
    temperature: 0,
    maxRetries: 0,
    timeout: timeoutMs,
    apiKey: apiKey ?? 'not-needed',
    configuration: { baseURL },
  });
  const structured = chat.withStructuredOutput(schema, { method, includeRaw: true, name: 'judgement' });
  const limit = pLimit(concurrency);
  const rubricHash = templates.hash;
  const name = LLM_JUDGE;
  const report = (usage: TokenUsage, cached: boolean, failed: boolean) => opts.onUsage?.(usage, cached, failed);

  const attempt = async (input: JudgeInput): Promise<Attempt> => {
    const m = buildMessages(ctx, input, newNonce(input.answer));
    const signal = AbortSignal.timeout(timeoutMs);
    let res: { raw: AIMessage; parsed: JudgeOutput | null };
    try {
      res = (await structured.invoke([new SystemMessage(m.system + jsonModeNote), new HumanMessage(m.user)], { signal })) as typeof res;
    } catch (err) {
      report(NO_USAGE, false, true);
      return { ok: false, failure: describeError(err, signal.aborted, timeoutMs), usage: NO_USAGE };
    }
    const usage = usageOf(res.raw);
    if (res.parsed == null) {
      report(usage, false, true);
      return { ok: false, failure: describeParseFailure(res.raw, schema), usage };
    }
    report(usage, false, false);
    return { ok: true, output: res.parsed, usage };
  };

  const judgeOne = async (input: JudgeInput): Promise<Verdict> => {
    const unjudged = (reason: string): Verdict => ({ status: 'unjudged', judge: name, turn: input.turn, reason: redact(reason, secrets) });
    if (input.answer.trim() === '') {
      return judged(input, emptyReply());
    }
    const key = cacheKey(model, rubricHash, input);
    const hit = opts.cache?.get(key);
    if (hit) {
      report(NO_USAGE, true, false);
      return { ...hit, judge: name, turn: input.turn };
    }
    const reasons: string[] = [];
    let spent: TokenUsage = NO_USAGE;
    for (let i = 0; i <= retries; i++) {
      const a = await attempt(input);
      spent = addUsage(spent, a.usage);
      if (a.ok) {
        const fields = settleVerdict(a.output, input.question, input.turn, outdatedRulesFor(ctx, input.question));
        // The model's words are outside text: an endpoint that echoes its request would store the key.
        const verdict = judged(input, { ...fields, rationale: redact(fields.rationale, secrets) });
        opts.cache?.set({ key, judge: name, model, rubricHash, verdict, usage: spent });
        return verdict;
      }
      reasons.push(a.failure.reason);
      if (a.failure.final) break;
      if (a.failure.transport && i < retries && retryDelayMs > 0) await sleep(Math.min(retryDelayMs * 2 ** i, MAX_RETRY_DELAY_MS));
    }
    return unjudged(`llm judge gave no verdict after ${reasons.length} attempt(s): ${summarise(reasons)}`);
  };

  return {
    name,
    version: `${rubricHash.slice(0, 16)}@${model}`,
    rubricHash,
    model,
    judge: (input) => limit(() => judgeOne(input)),
  };
}

/** The rubric needs no model for an empty reply. */
function emptyReply(): VerdictFields {
  return noAnswerFields('no-answer: empty reply (decided without asking the model)');
}

function judged(input: JudgeInput, fields: VerdictFields): JudgedVerdict {
  return { status: 'judged', judge: LLM_JUDGE, turn: input.turn, ...fields };
}

/** The cache key: everything a verdict depends on, and nothing about who answered. */
export function cacheKey(model: string, rubricHash: string, input: JudgeInput): string {
  const content = JSON.stringify([model, rubricHash, input.question.id, input.question.reference, input.turn, input.answer]);
  return createHash('sha256').update(content).digest('hex');
}

function usageOf(raw: AIMessage): TokenUsage {
  const u = raw.usage_metadata;
  return { promptTokens: u?.input_tokens ?? 0, completionTokens: u?.output_tokens ?? 0 };
}

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens };
}

/** Distinct reasons in order, with how often each occurred. */
function summarise(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => (n > 1 ? `${r} (×${n})` : r)).join('; ');
}

function positiveInt(value: number, option: string, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new UserError(`llm judge: option \`${option}\` must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

function resolveEndpoint(endpoint: LlmEndpoint, env: NodeJS.ProcessEnv) {
  const secrets = new Set<string>();
  const missing = findEnvRefs(endpoint).filter((r) => !env[r.name]);
  if (missing.length > 0) {
    const names = [...new Set(missing.map((r) => r.name))];
    throw new UserError(
      `llm judge: endpoint ${missing.map((r) => r.path.join('.')).join(', ')} uses \${${names.join('}, ${')}}, which is not set in the environment`,
      `export ${names[0]}=… before running`,
    );
  }
  const e = expandEnv(endpoint, env, secrets);
  if (!e.model?.trim()) throw new UserError('llm judge: missing option `endpoint.model`', 'name the model, e.g. qwen-plus');
  let url: URL;
  try {
    url = new URL(e.baseURL);
  } catch {
    throw new UserError(`llm judge: option \`endpoint.baseURL\` is not a URL: ${redact(String(e.baseURL), secrets)}`, 'e.g. https://host/v1');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`llm judge: option \`endpoint.baseURL\` must be http(s), got ${url.protocol}`);
  }
  if (e.apiKey) secrets.add(e.apiKey);
  return { baseURL: e.baseURL, model: e.model, apiKey: e.apiKey || undefined, secrets };
}
