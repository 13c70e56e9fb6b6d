/** Scenarios, a scripted citizen and a clarifying loopback bot, for the tests of played conversations. */
import { writeFileSync } from 'node:fs';
import { loadBanks } from '../src/banks/load-banks.js';
import type { BankSet, Citizen, CitizenKind, Scenario, Target } from '../src/domain/types.js';
import { loopbackServer, sendJson, TINY_BANK, type LoopbackServer } from './helpers.js';

/** TINY_BANK's matter with `n` scenarios: a vague opening, one fact the bot must ask for, the fee as the goal. */
export function bankWithScenarios(dir: string, n: number, maxTurns = 4): BankSet {
  writeFileSync(`${dir}/boat.yaml`, TINY_BANK);
  const banks = loadBanks([`${dir}/boat.yaml`]);
  const reference = banks.questions[0]!.reference;
  const scenarios: Scenario[] = Array.from({ length: n }, (_, i) => ({
    id: `bp-scn-${i + 1}`,
    matterId: 'boat-permit',
    aspectId: 'fees',
    intent: 'boat-permit/fees',
    persona: '渔民，有一条小船',
    goal: '弄清楚办船只许可要不要交钱',
    facts: { 船只长度: `${5 + i}米` },
    opening: '我想办船只许可',
    reference,
    maxTurns,
    critical: false,
    pos: { file: 'boat.yaml', line: 1, column: 1 },
  }));
  return { ...banks, scenarios };
}

/**
 * A citizen as the rule one behaves: the opening; a fact when the bot asks for it by name; the goal
 * reached once the replies cover enough key points (by their text); else it asks again, up to `maxTurns`.
 */
export function scriptedCitizen(kind: CitizenKind = 'rule', opts: { failOn?: string } = {}): Citizen {
  return {
    kind,
    next: async (s, history) => {
      if (history.length === 0) return { say: s.opening };
      const last = history.at(-1)!.reply;
      if (opts.failOn !== undefined && last.includes(opts.failOn)) throw new Error('citizen exploded');
      const covered = s.reference.keyPoints.filter((k) => history.some((h) => h.reply.includes(k.text)));
      if (covered.length >= s.reference.minKeyPoints) return { stop: 'goal' };
      if (history.length >= s.maxTurns) return { stop: 'max-turns' };
      const asked = Object.entries(s.facts).find(([k]) => last.includes(k));
      return { say: asked ? `${asked[0]}是${asked[1]}` : '到底要不要交钱？' };
    },
  };
}

/**
 * A bot that keeps a state per session: it asks the boat's length when the opening is vague, then
 * answers. A re-asker asks for the length once more right after it was given.
 * Each session's first and last request times are kept, to check conversations against the limits.
 */
export async function clarifyingBot(kind: 'rememberer' | 're-asker', opts: { delayMs?: number } = {}) {
  const sessions = new Map<string, { turns: number; length: string | null; from: number; to: number }>();
  const server: LoopbackServer = await loopbackServer(async (_req, res, body) => {
    const { message, sessionId } = JSON.parse(body) as { message: string; sessionId: string };
    const s = sessions.get(sessionId) ?? { turns: 0, length: null, from: Date.now(), to: 0 };
    sessions.set(sessionId, s);
    s.turns += 1;
    await new Promise((r) => setTimeout(r, opts.delayMs ?? 10));
    s.length ??= /(\d+)米/.exec(message)?.[1] ?? null;
    let answer: string;
    if (s.length === null) answer = '请问您的船只长度是多少？';
    else if (kind === 're-asker' && s.turns === 2) answer = '请再告诉我一次，您的船只长度是多少？';
    else answer = `${s.length}米的船只办理许可不收费。`;
    s.to = Date.now();
    sendJson(res, 200, { answer, sid: sessionId });
  });
  return { server, sessions };
}

export function botTarget(id: string, url: string, concurrency: number): Target {
  return {
    id,
    name: `机器人${id}`,
    region: 'east',
    adapter: { type: 'http-json', url, method: 'POST', headers: {}, reply: '$.answer', session: '$.sid' },
    limits: { concurrency, timeoutMs: 3000, retries: 0 },
    pos: { file: 't', line: 1, column: 1 },
  };
}
