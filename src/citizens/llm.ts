/**
 * The `llm` citizen (issue 16): LangChain's ChatOpenAI against any OpenAI-compatible endpoint. The
 * persona, goal and facts go in the system prompt (judges/conversation.yaml); the bot's replies go in as
 * data between markers carrying a fresh nonce, so an instruction inside a reply cannot steer the
 * citizen. The model answers `{ message, done, reason }`, validated by zod; output that does not parse
 * is asked for once more, then the citizen gives up — never a guessed turn.
 */
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import type { Citizen, CitizenMove, Exchange, Scenario } from '../domain/types.js';
import { fill, loadConversationPhrases, type ConversationPhrases } from '../judge/conversation/phrases.js';
import { fenceAnswer, newNonce } from '../judge/llm/prompt.js';
import { UserError } from '../util/errors.js';

export interface LlmCitizenOptions {
  /** @example 'https://dashscope.aliyuncs.com/compatible-mode/v1' */
  baseURL: string;
  /** @example 'qwen-plus' */
  model: string;
  /** The key itself (the caller expands `${VAR}`); absent: a placeholder, for local endpoints. */
  apiKey?: string;
  /** @default 0.7: people do not all word things alike */
  temperature?: number;
  /** Per request. @default 60000 */
  timeoutMs?: number;
  /** Told of every request: its tokens, or that it failed. What a run counts against its `--max-calls`. */
  onCall?: (usage: { promptTokens: number; completionTokens: number }, failed: boolean) => void;
}

/** One turn of the citizen as the model gives it. */
export const citizenTurnSchema = z.object({
  message: z.string().describe('你接下来对客服说的话（done 为 true 时可以为空）'),
  done: z.boolean().describe('想弄清的事都已得到答复，或问不下去了，要结束对话时为 true'),
  reason: z.enum(['continue', 'goal', 'gave-up']).describe('continue：继续问；goal：目的已达到；gave-up：问不下去了'),
});

/** Attempts per turn: the first and one retry on unusable output. */
const ATTEMPTS = 2;

export function createLlmCitizen(options: LlmCitizenOptions): Citizen {
  const { baseURL, model } = checkOptions(options);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const phrases = loadConversationPhrases();
  const chat = new ChatOpenAI({
    model,
    temperature: options.temperature ?? 0.7,
    maxRetries: 0,
    timeout: timeoutMs,
    apiKey: options.apiKey ?? 'not-needed',
    configuration: { baseURL },
  });
  const structured = chat.withStructuredOutput(citizenTurnSchema, { method: 'functionCalling', includeRaw: true, name: 'citizen_turn' });

  const next = async (scenario: Scenario, history: readonly Exchange[]): Promise<CitizenMove> => {
    // The same opening as the rule citizen, so the two are compared on the same first turn.
    if (history.length === 0) return { say: scenario.opening };
    if (history.length >= scenario.maxTurns) return { stop: 'max-turns' };
    const m = citizenMessages(scenario, history, phrases);
    for (let i = 0; i < ATTEMPTS; i++) {
      let parsed: z.output<typeof citizenTurnSchema> | null;
      try {
        const res = (await structured.invoke([new SystemMessage(m.system), new HumanMessage(m.user)], { signal: AbortSignal.timeout(timeoutMs) })) as {
          parsed: z.output<typeof citizenTurnSchema> | null;
          raw?: { usage_metadata?: { input_tokens?: number; output_tokens?: number } };
        };
        const u = res.raw?.usage_metadata;
        options.onCall?.({ promptTokens: u?.input_tokens ?? 0, completionTokens: u?.output_tokens ?? 0 }, false);
        parsed = res.parsed;
      } catch {
        options.onCall?.({ promptTokens: 0, completionTokens: 0 }, true);
        // An endpoint failure is an unusable turn like unparseable output: retried once, then given up.
        continue;
      }
      if (!parsed) continue;
      if (parsed.done) return { stop: parsed.reason === 'gave-up' ? 'gave-up' : 'goal' };
      const say = parsed.message.trim();
      if (say.length > 0) return { say };
    }
    return { stop: 'gave-up' };
  };
  return { kind: 'llm', next };
}

/** The prompt for the next turn: the scenario in the system message, the conversation fenced in the user message. */
export function citizenMessages(scenario: Scenario, history: readonly Exchange[], phrases: ConversationPhrases): { system: string; user: string } {
  const t = phrases.llmCitizen;
  const facts = Object.entries(scenario.facts).map(([k, v]) => `- ${k}：${v}`);
  const system = fill(t.system, {
    persona: scenario.persona,
    goal: scenario.goal,
    facts: facts.length > 0 ? facts.join('\n') : '（无）',
    maxTurns: String(scenario.maxTurns),
  });
  const nonce = newNonce(history.map((h) => `${h.user}\n${h.reply}`).join('\n'));
  let fence = fenceAnswer('', nonce);
  const transcript = history
    .map((h) => {
      fence = fenceAnswer(h.reply, nonce);
      return `我：${h.user}\n客服：\n${fence.block}`;
    })
    .join('\n');
  return { system, user: fill(t.user, { transcript, fenceStart: fence.start, fenceEnd: fence.end }) };
}

function checkOptions(o: LlmCitizenOptions): { baseURL: string; model: string } {
  if (!o.model?.trim()) throw new UserError('llm citizen: missing option `model`', 'name the model, e.g. qwen-plus');
  let url: URL;
  try {
    url = new URL(o.baseURL);
  } catch {
    throw new UserError('llm citizen: option `baseURL` is not a URL', 'e.g. https://host/v1');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`llm citizen: option \`baseURL\` must be http(s), got ${url.protocol}`);
  return { baseURL: o.baseURL, model: o.model };
}
