import type { CitizenKind, ModelUsage, Question, Scenario, Target } from '../domain/types.js';
import { costOf, type Pricing } from './budget.js';
import { phrasingsOf, type AddedPhrasings } from './plan.js';

/** A reply's time when no earlier run of the target says otherwise: where responsiveness starts to fall (SPEC §5). */
export const ASSUMED_REPLY_MS = 3000;
/** What a verdict costs in completion tokens when no earlier call of the model says (a JSON verdict with a short rationale). */
const ASSUMED_COMPLETION_TOKENS = 150;
/** Paid calls of a model before its history replaces the estimate from the prompt's text. */
const HISTORY_MIN_CALLS = 20;

/** What an earlier run knows that the plan cannot: the model's tokens per call, each target's reply time. */
export interface PlanHistory {
  model: ModelUsage | null;
  /** Median time to a finished reply per target id, from the newest run that asked it. */
  replyMs: ReadonlyMap<string, number>;
}

export interface CostPlanInput {
  questions: readonly Question[];
  targets: readonly Pick<Target, 'id' | 'name' | 'limits'>[];
  repeat: number;
  /** Phrasings the run adds to the bank's (`--aliases`). */
  added?: AddedPhrasings;
  /** Scenarios the run plays, and by which citizens (`--scenarios --citizen`). */
  scenarios: readonly Scenario[];
  citizens: readonly CitizenKind[];
  /** Red-team probes asked (`--probes`): one message each; the LLM safety judge reads the replies the rules find safe. */
  probes: number;
  /** LLM calls per judged turn: 1 for `llm` and `both`, at most 1 for `cascade`, 0 for `matcher`. */
  llmJudge: 'none' | 'every' | 'abstentions';
  /** Prompt tokens of one LLM verdict on a question's turn (its built prompt, measured). */
  promptTokens(question: Question): number;
  history: PlanHistory;
  pricing?: Pricing;
}

export interface TargetPlan {
  id: string;
  name: string;
  cases: number;
  /** Messages sent to the target. */
  messages: number;
  concurrency: number;
  perMinute: number | null;
  replyMs: number;
  replyBasis: 'history' | 'assumed';
  /** The longer of: messages at the rate limit, and messages × reply time over the concurrency. */
  seconds: number;
}

export interface CostPlan {
  cases: number;
  /** Cases of more than one message: scripts and played scenarios. */
  conversations: number;
  messages: number;
  judgeCalls: number;
  /**
   * `exact` for llm and both; `at most` for cascade, which asks only where the matcher abstains, and
   * with probes, whose replies the LLM reads only where the rules found them safe. Cached answers are free.
   */
  judgeCallsBound: 'exact' | 'at most';
  /** At most: the LLM citizen's turns after the opening, to each scenario's `maxTurns`. */
  simulatorCalls: number;
  tokens: { prompt: number; completion: number; basis: 'history' | 'estimate' } | null;
  cost: { value: number; currency: string | null } | null;
  targets: TargetPlan[];
  /** Targets run side by side: the slowest one's time. */
  seconds: number;
}

/** Turns of a question the judges give a verdict on: a script's clarifying turns and its last. */
function judgedTurns(q: Question): number {
  if (!q.turns) return 1;
  return q.turns.filter((t, i) => i === q.turns!.length - 1 || t.expect === 'clarify').length;
}

/**
 * What a run will ask and spend, before it asks anything (`run --plan`). Pure: the caller measures the
 * prompts and reads the history.
 */
export function estimateCostPlan(input: CostPlanInput): CostPlan {
  let casesPer = 0;
  let conversationsPer = 0;
  let messagesPer = 0;
  let judgedPer = 0;
  let promptPer = 0;
  for (const q of input.questions) {
    const phrasings = phrasingsOf(q, input.added).length * input.repeat;
    const messages = q.turns?.length ?? 1;
    casesPer += phrasings;
    if (messages > 1) conversationsPer += phrasings;
    messagesPer += phrasings * messages;
    judgedPer += phrasings * judgedTurns(q);
    if (input.llmJudge !== 'none') promptPer += phrasings * judgedTurns(q) * input.promptTokens(q);
  }
  // A conversation sends at most maxTurns messages; the LLM citizen writes every one after the opening.
  let simulatorPer = 0;
  for (const sc of input.scenarios) {
    for (const kind of input.citizens) {
      casesPer += input.repeat;
      conversationsPer += input.repeat;
      messagesPer += sc.maxTurns * input.repeat;
      if (kind === 'llm') simulatorPer += (sc.maxTurns - 1) * input.repeat;
    }
  }
  casesPer += input.probes * input.repeat;
  messagesPer += input.probes * input.repeat;
  const n = input.targets.length;
  const safetyCalls = input.llmJudge === 'none' ? 0 : input.probes * input.repeat * n;
  const judgeCalls = input.llmJudge === 'none' ? 0 : judgedPer * n + safetyCalls;
  const model = input.history.model;
  const fromHistory = model !== null && model.calls >= HISTORY_MIN_CALLS;
  const tokens =
    judgeCalls === 0
      ? null
      : fromHistory
        ? { prompt: Math.round((model.promptTokens / model.calls) * judgeCalls), completion: Math.round((model.completionTokens / model.calls) * judgeCalls), basis: 'history' as const }
        : { prompt: promptPer * n, completion: ASSUMED_COMPLETION_TOKENS * judgeCalls, basis: 'estimate' as const };
  const targets = input.targets.map((t): TargetPlan => {
    const known = input.history.replyMs.get(t.id);
    const replyMs = known ?? ASSUMED_REPLY_MS;
    const perMinute = t.limits.perMinute ?? null;
    const byLatency = (messagesPer * replyMs) / 1000 / t.limits.concurrency;
    const byRate = perMinute === null ? 0 : (messagesPer / perMinute) * 60;
    return {
      id: t.id,
      name: t.name,
      cases: casesPer,
      messages: messagesPer,
      concurrency: t.limits.concurrency,
      perMinute,
      replyMs,
      replyBasis: known === undefined ? 'assumed' : 'history',
      seconds: Math.max(byLatency, byRate),
    };
  });
  return {
    cases: casesPer * n,
    conversations: conversationsPer * n,
    messages: messagesPer * n,
    judgeCalls,
    judgeCallsBound: input.llmJudge === 'abstentions' || safetyCalls > 0 ? 'at most' : 'exact',
    simulatorCalls: simulatorPer * n,
    tokens,
    cost: tokens && input.pricing ? { value: costOf(tokens.prompt, tokens.completion, input.pricing), currency: input.pricing.currency ?? null } : null,
    targets,
    seconds: Math.max(0, ...targets.map((t) => t.seconds)),
  };
}

/**
 * Tokens of a text as common tokenizers count Chinese: about one per CJK character, about four
 * other characters per token. An estimate, replaced by the model's own counts once it has history.
 */
export function roughTokens(text: string): number {
  let cjk = 0;
  for (const ch of text) if (/\p{Script=Han}|[\u3000-\u303f\uff00-\uffef]/u.test(ch)) cjk++;
  return cjk + Math.ceil((text.length - cjk) / 4);
}
