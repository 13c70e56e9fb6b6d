import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpJsonAdapter } from '../src/adapters/http-json.js';
import { loadBanks } from '../src/banks/load-banks.js';
import { closestText } from '../src/judge/matcher/closest-text.js';
import type { HttpJsonAdapterConfig, Judge, Target } from '../src/domain/types.js';
import { renderHtml } from '../src/reports/html/index.js';
import { toJsonReport } from '../src/reports/json.js';
import { renderLeaderboard } from '../src/reports/leaderboard.js';
import { renderMarkdown } from '../src/reports/markdown.js';
import { runBenchmark } from '../src/runner/run.js';
import { scoreRun } from '../src/scoring/score-run.js';
import { openStore } from '../src/store/index.js';
import { loopbackServer, sendJson, tempDir, type LoopbackServer } from './helpers.js';

const BANK = `matter:
  id: boat-permit
  name: 船只许可
aspects:
  - { id: fees, name: 收费 }
  - { id: hours, name: 办公时间 }
questions:
  - id: bp-fees-01
    aspect: fees
    text: 船只许可要交多少钱？
    reference:
      answer: 不收费。
      keyPoints:
        - { id: free, text: 不收费, match: [不收费, 免费] }
  - id: bp-hours-01
    aspect: hours
    turns:
      - { user: 我想问下时间, expect: clarify }
      - { user: 窗口周末办公吗 }
    reference:
      answer: 周末不办公。
      keyPoints:
        - { id: closed, text: 周末不办公, match: [周末不办公] }
`;

/** What the bot offers instead of answering anything but one of these. */
const OFFERED = ['船只年检去哪里办', '船只许可收费标准', '窗口周末办公时间'];

/**
 * A bot that answers only the questions it suggests: anything else gets the list, as JSON data
 * (`/json`) or as a numbered 您是不是想问 list in the reply text (`/text`).
 */
async function suggestingBot(): Promise<LoopbackServer & { asked: string[] }> {
  const asked: string[] = [];
  const server = await loopbackServer((req, res, body) => {
    const { message } = JSON.parse(body) as { message: string };
    asked.push(message);
    if (OFFERED.includes(message)) return sendJson(res, 200, { answer: `回答：${message}`, links: [{ title: '办事指南', url: 'https://zwfw.example.gov.cn/g/1' }] });
    if (req.url === '/json') return sendJson(res, 200, { answer: '您是不是想问：', recommends: OFFERED.map((title, id) => ({ id, title })) });
    if (req.url === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const events = [{ answer: '您是不是' }, { answer: '想问：', recommends: OFFERED.slice(0, 2) }, { answer: '', recommends: OFFERED.slice(2) }];
      return res.end(`${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}data: [DONE]\n\n`);
    }
    sendJson(res, 200, { answer: `您是不是想问：\n${OFFERED.map((t, i) => `${i + 1}. ${t}`).join('\n')}` });
  });
  return { ...server, asked };
}

/** Correct when the reply is an answer of the bot: a suggestion list it would call incorrect. */
const echoJudge: Judge = {
  name: 'echo',
  version: 'e1',
  judge: ({ question, turn, answer }) => ({
    status: 'judged',
    judge: 'echo',
    turn,
    intentRecognized: true,
    predictedIntent: question.intent,
    verdict: answer.startsWith('回答') ? 'correct' : 'incorrect',
    accuracy: 1,
    keyPointsHit: [],
    factErrors: [],
    contradictions: [],
    rationale: `script turn ${turn}`,
  }),
};

const adapterAt = (url: string, extra: Partial<HttpJsonAdapterConfig> = {}): HttpJsonAdapterConfig => ({
  type: 'http-json',
  url,
  method: 'POST',
  headers: {},
  reply: '$.answer',
  links: '$.links[*]',
  ...extra,
});

let bot: Awaited<ReturnType<typeof suggestingBot>>;
beforeAll(async () => {
  bot = await suggestingBot();
});
afterAll(() => bot.close());

describe('http-json replies that are only suggestions', () => {
  it('reads suggestions from a JSONPath (objects by their title) and links from another', async () => {
    const conversation = createHttpJsonAdapter({ config: adapterAt(`${bot.url}/json`, { suggestions: '$.recommends[*]' }) }).open();
    const list = await conversation.send('多少钱', AbortSignal.timeout(2000));
    expect(list).toMatchObject({ text: '您是不是想问：', suggestions: OFFERED, suggestionsOnly: true });
    const answer = await conversation.send(OFFERED[1]!, AbortSignal.timeout(2000));
    expect(answer.suggestions).toBeUndefined();
    expect(answer.links).toEqual([{ text: '办事指南', href: 'https://zwfw.example.gov.cn/g/1' }]);
  });

  it('gathers the suggestions of every event of a streamed reply', async () => {
    const config = adapterAt(`${bot.url}/sse`, { stream: 'sse', suggestions: '$.recommends[*]' });
    const list = await createHttpJsonAdapter({ config }).open().send('多少钱', AbortSignal.timeout(2000));
    expect(list).toMatchObject({ text: '您是不是想问：', suggestions: OFFERED, suggestionsOnly: true });
  });

  it('reads a numbered list in the reply text when no JSONPath is set', async () => {
    const list = await createHttpJsonAdapter({ config: adapterAt(`${bot.url}/text`) }).open().send('多少钱', AbortSignal.timeout(2000));
    expect(list).toMatchObject({ suggestions: OFFERED, suggestionsOnly: true });
  });
});

describe('the suggestion closest to a question', () => {
  it.each([
    ['船只许可要交多少钱？', 1],
    ['窗口周末办公吗', 2],
    ['completely unrelated', 0],
  ])('for %s is suggestion %i', (question, index) => {
    expect(closestText(question, OFFERED)).toBe(index);
  });

  it('is none of no suggestions', () => {
    expect(closestText('窗口周末办公吗', [])).toBe(-1);
  });
});

describe('followSuggestions in a run', () => {
  const target = (id: string, path: string, followSuggestions: number, extra: Partial<HttpJsonAdapterConfig> = {}): Target => ({
    id,
    name: id,
    region: 'east',
    adapter: adapterAt(`${bot.url}${path}`, extra),
    ...(followSuggestions > 0 && { followSuggestions }),
    limits: { concurrency: 1, timeoutMs: 2000, retries: 0 },
    pos: { file: 't', line: 1, column: 1 },
  });

  it('leaves a list unfollowed as no answer, and otherwise judges the answer reached by the closest suggestion', async () => {
    using dir = tempDir({ 'bank.yaml': BANK });
    const banks = loadBanks([dir.dir]);
    const store = openStore(dir.path('g.db'));
    try {
      const targets = [target('stays', '/json', 0, { suggestions: '$.recommends[*]' }), target('follows', '/text', 1)];
      const { runId, status } = await runBenchmark({ store, banks, targets, judges: [echoJudge], judgeMode: 'matcher' });
      expect(status).toBe('finished');
      const cases = [...store.storedCases(runId)];
      const of = (targetId: string, questionId: string) => cases.find((c) => c.targetId === targetId && c.questionId === questionId)!;

      const left = of('stays', 'bp-fees-01');
      expect(left.turns.map((t) => [t.user, t.suggestionsOnly, t.followed])).toEqual([['船只许可要交多少钱？', true, undefined]]);
      // The rule answers for the judge: the echo judge, asked, would have said incorrect.
      expect(store.verdictsOf(left.id)).toMatchObject([{ judge: 'echo', turn: 0, verdict: 'no-answer' }]);

      const reached = of('follows', 'bp-fees-01');
      expect(reached.turns.map((t) => [t.index, t.user, t.followed])).toEqual([
        [0, '船只许可要交多少钱？', undefined],
        [1, '船只许可收费标准', true],
      ]);
      expect(store.verdictsOf(reached.id)).toMatchObject([{ turn: 1, verdict: 'correct', rationale: 'script turn 0' }]);

      // A script: each of its turns followed once; the clarifying turn and the last are judged on what they reached.
      const script = of('follows', 'bp-hours-01');
      expect(script.turns.map((t) => [t.index, t.user, t.followed])).toEqual([
        [0, '我想问下时间', undefined],
        [1, '窗口周末办公时间', true],
        [2, '窗口周末办公吗', undefined],
        [3, '窗口周末办公时间', true],
      ]);
      expect(store.verdictsOf(script.id).map((v) => [v.turn, v.status === 'judged' && v.verdict, v.status === 'judged' && v.rationale])).toEqual([
        [1, 'correct', 'script turn 0'],
        [3, 'correct', 'script turn 1'],
      ]);
      expect(store.verdictsOf(of('stays', 'bp-hours-01').id).map((v) => v.status === 'judged' && v.verdict)).toEqual(['no-answer', 'no-answer']);

      const model = scoreRun({
        run: { id: runId, label: null, banksHash: banks.hash, judge: 'matcher', startedAt: '', finishedAt: null, status: 'finished' },
        targets,
        cases: store.caseRecords(runId, 'echo'),
      });
      const byId = Object.fromEntries(model.targets.map((t) => [t.id, t]));
      expect(byId.stays!.routes).toEqual({ direct: 0, followed: 0, left: 2 });
      expect(byId.follows!.routes).toEqual({ direct: 0, followed: 2, left: 0 });
      expect(byId.follows!.verdicts.correct).toBe(2);
      expect(byId.stays!.verdicts['no-answer']).toBe(2);
      expect(toJsonReport(model).targets.find((t) => t.id === 'stays')!.routes).toEqual({ direct: 0, followed: 0, left: 2 });
      expect(renderMarkdown(model)).toContain('| follows | 2 | 0% | 100% | 0% |');
      expect(renderHtml(model, { worstAnswers: [] })).toContain('id="routes-table"');
      expect(renderLeaderboard(model, { width: 200 })).toMatch(/ Sugg +Left\n/);

      // A run where every answer came directly reports no routes, so its reports read as before.
      const direct = scoreRun({ run: model.run, targets, cases: [...store.caseRecords(runId, 'echo')].map((c) => ({ ...c, route: 'direct' as const })) });
      expect(direct.targets.every((t) => t.routes === undefined)).toBe(true);
      expect(renderMarkdown(direct)).not.toContain('Suggested questions');
    } finally {
      store.close();
    }
  });
});
