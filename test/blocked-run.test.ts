/**
 * Blocked is not wrong (issue 14): a bot that hands some questions to a human agent, or whose session
 * has expired, loses availability for them, never accuracy; reports count each wall per target.
 */
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import type { Target } from '../src/domain/types.js';
import { renderHtml } from '../src/reports/html/index.js';
import { renderJson } from '../src/reports/json.js';
import { loadReportModel } from '../src/reports/from-store.js';
import { renderMarkdown } from '../src/reports/markdown.js';
import { runBenchmark } from '../src/runner/run.js';
import { openStore } from '../src/store/index.js';
import { failureKinds } from '../src/tui/results/result-columns.js';
import { echoJudge, loopbackServer, sendJson, tempDir } from './helpers.js';

const banks = loadBanks(['test/fixtures/core']);
const HANDOFF = '正在为您转接人工客服，请稍候……';
const EXPIRED = '会话已过期，请刷新页面后重试';

const target = (id: string, url: string): Target => ({
  id,
  name: `城市${id}`,
  region: 'east',
  adapter: { type: 'http-json', url, method: 'POST', headers: {}, reply: '$.answer', session: '$.sid' },
  limits: { concurrency: 1, timeoutMs: 2000, retries: 2 },
  pos: { file: 't', line: 1, column: 1 },
});

/**
 * `walls` maps a word of the question to the wall the bot puts up for it; `expireFirst`: the first
 * message of the first session is answered with an expired session (a stale page at the start).
 */
async function wallBot(walls: Record<string, string>, expireFirst = false) {
  const asked: { message: string; sessionId: string }[] = [];
  const server = await loopbackServer((_req, res, body) => {
    const m = JSON.parse(body) as { message: string; sessionId: string };
    asked.push(m);
    const wall = Object.entries(walls).find(([word]) => m.message.includes(word))?.[1];
    const answer = expireFirst && asked.length === 1 ? EXPIRED : (wall ?? `回答：${m.message}`);
    sendJson(res, 200, { answer, sid: m.sessionId });
  });
  return { server, asked };
}

describe('a run against a bot behind walls', () => {
  it('records hand-offs as their own failure: unjudged, against availability, accuracy untouched, counted per target in reports', async () => {
    const bot = await wallBot({ 钓鱼证: HANDOFF });
    const plain = await wallBot({});
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    try {
      const run = await runBenchmark({
        store,
        banks,
        targets: [target('a', bot.server.url), target('b', plain.server.url)],
        judges: [echoJudge],
        judgeMode: 'matcher',
      });
      // Both phrasings of the licence question say 钓鱼证; the script and the chat question do not.
      const records = [...store.caseRecords(run.runId, 'echo')].filter((r) => r.targetId === 'a');
      const walled = records.filter((r) => r.errorKind === 'handoff');
      expect(walled.map((r) => [r.questionId, r.variant])).toEqual([['fl-materials-01', 0], ['fl-materials-01', 1]]);
      for (const r of walled) expect(r).toMatchObject({ available: false, verdict: null });
      const turns = [...store.storedCases(run.runId)].filter((c) => c.targetId === 'a' && c.questionId === 'fl-materials-01').map((c) => c.turns);
      for (const [turn] of turns) {
        // The notice is kept as evidence, and asked once: a hand-off is not retried.
        expect(turn).toMatchObject({ ok: false, errorKind: 'handoff', reply: HANDOFF, attempts: 1 });
        expect(turn!.error).toMatch(/human agent/);
      }
      expect(bot.asked.filter((m) => m.message.includes('钓鱼证'))).toHaveLength(2);

      const model = loadReportModel(store, run.runId);
      const [a, b] = [model.targets.find((t) => t.id === 'a')!, model.targets.find((t) => t.id === 'b')!];
      expect(a.errorKinds).toEqual({ handoff: 2 });
      expect(a.scores.availability).toBeCloseTo(50, 5);
      expect(b.scores.availability).toBeCloseTo(100, 5);
      // Only the cases that were answered are judged, so a hand-off costs no accuracy.
      expect(a.scores.accuracy).toBeCloseTo(b.scores.accuracy!, 5);
      expect(a.verdicts.incorrect ?? 0).toBe(0);

      const md = renderMarkdown(model);
      expect(md).toContain('## Technical failures');
      expect(md).toMatch(/\| Target +\| Failures +\| 转人工 hand-off \|/);
      expect(md).toMatch(/\| 城市a +\| +2 \| +2 \|/);
      expect(renderHtml(model, { worstAnswers: [] })).toContain('<th scope="col" data-type="num" class="num">转人工 hand-off</th>');
      expect(failureKinds(a)).toBe('转人工 hand-off 2');
      const json = JSON.parse(renderJson(model)) as { targets: { id: string; errorKinds: object }[] };
      expect(json.targets.find((t) => t.id === 'a')!.errorKinds).toEqual({ handoff: 2 });
    } finally {
      store.close();
      await bot.server.close();
      await plain.server.close();
    }
  });

  it('asks a first turn again on a fresh conversation when the session had expired, once; a later expiry is recorded', async () => {
    const bot = await wallBot({ 钓鱼用的那个: EXPIRED }, true);
    using dir = tempDir();
    const store = openStore(dir.path('g.db'));
    try {
      const script = { ...banks, questions: banks.questions.filter((q) => q.id === 'fl-clarify-01' || q.id === 'oos-chat-01') };
      const run = await runBenchmark({ store, banks: script, targets: [target('a', bot.server.url)], judges: [echoJudge], judgeMode: 'matcher' });
      const cases = [...store.storedCases(run.runId)];
      const first = cases.find((c) => c.turns[0]!.user === bot.asked[0]!.message)!;
      // The first message met an expired session; asked again in a new session, it was answered.
      expect(bot.asked[1]!.message).toBe(bot.asked[0]!.message);
      expect(bot.asked[1]!.sessionId).not.toBe(bot.asked[0]!.sessionId);
      expect(first.turns[0]).toMatchObject({ ok: true, attempts: 2 });
      // The script's second turn expires: recorded as such, not asked again, never judged.
      const clarify = cases.find((c) => c.questionId === 'fl-clarify-01')!;
      expect(clarify.turns).toHaveLength(2);
      expect(clarify.turns[1]).toMatchObject({ ok: false, errorKind: 'expired', reply: EXPIRED, attempts: 1 });
      const record = [...store.caseRecords(run.runId, 'echo')].find((r) => r.questionId === 'fl-clarify-01');
      expect(record).toMatchObject({ available: false, errorKind: 'expired' });
      expect(bot.asked.filter((m) => m.message === '钓鱼用的那个')).toHaveLength(1);
    } finally {
      store.close();
      await bot.server.close();
    }
  });
});
