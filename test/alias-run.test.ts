/**
 * `run --aliases` end to end (issue 15): a real loopback chatbot that understands a matter only by its
 * official name, asked through a run session with the matcher judge against a real SQLite file. Its
 * report must show the official name understood and the colloquial aliases not, keep alias cases out
 * of the headline scores, and a resumed run must keep the option and not ask any case twice.
 */
import { describe, expect, it } from 'vitest';
import { ALIAS_STYLE_PREFIX } from '../src/domain/types.js';
import { renderHtml } from '../src/reports/html/index.js';
import { loadReportModel } from '../src/reports/from-store.js';
import { toJsonReport } from '../src/reports/json.js';
import { renderMarkdown } from '../src/reports/markdown.js';
import { createMatcherJudge } from '../src/judge/matcher/index.js';
import type { RunEvent } from '../src/runner/events.js';
import { runBenchmark } from '../src/runner/run.js';
import { planResume, planRun } from '../src/runner/session/plan.js';
import { recordOf } from '../src/runner/session/spec.js';
import { openStore } from '../src/store/index.js';
import { loopbackServer, sendJson, tempDir } from './helpers.js';

const BANK = 'test/fixtures/aliases';
const OFFICIAL = '休闲垂钓许可证核发';

/** Knows the reference answers, but only recognizes the matter when it is called by its official name. */
async function officialOnlyBot() {
  const asked: string[] = [];
  const server = await loopbackServer((_req, res, body) => {
    const { message } = JSON.parse(body) as { message: string };
    asked.push(message);
    const answer = !message.includes(OFFICIAL)
      ? '抱歉，我不太理解您的问题，请换个说法。'
      : message.includes('材料')
        ? '需提交垂钓许可申请表和身份证。'
        : message.includes('时限')
          ? '垂钓许可自受理之日起10个工作日内办结。'
          : '垂钓许可到市农业农村局政务服务窗口办理。';
    sendJson(res, 200, { answer });
  });
  return { server, asked };
}

const targetsYaml = (url: string) => `
targets:
  - { id: city-a, name: 甲市, region: east, adapter: { type: http-json, url: "${url}", body: { message: "{{message}}" }, reply: $.answer }, limits: { concurrency: 1, timeoutMs: 5000, retries: 0 } }
`;

describe('run --aliases', () => {
  it('shows a bot that knows only official names understanding the official name and not the aliases, apart from the headline scores; a resume asks nothing twice', async () => {
    const bot = await officialOnlyBot();
    using dir = tempDir({ 'targets.yaml': targetsYaml(bot.server.url) });
    const store = openStore(dir.path('g.db'));
    try {
      const plan = planRun({ banks: [BANK], targets: dir.path('targets.yaml'), target: [], judge: 'matcher', repeat: 1, aliases: true });
      // 7 phrasings of the bank (5 questions, 1 variant, a script) and 6 alias cases.
      expect(plan.perTarget).toBe(13);

      // The matcher in process (a session would start its worker threads): the run as a session starts it.
      const judges = [createMatcherJudge(plan.banks)];
      const base = { store, banks: plan.banks, targets: plan.targets, judges, judgeMode: 'matcher' as const, aliases: plan.spec.aliases, recorded: recordOf(plan.spec) };
      // Stopped right after the first alias case, then resumed with what the run recorded.
      const stop = new AbortController();
      const first = await runBenchmark({
        ...base,
        signal: stop.signal,
        onEvent: (e: RunEvent) => {
          if (e.type === 'case-finished' && e.variant < 0) stop.abort();
        },
      });
      expect(first.status).toBe('interrupted');
      const doneBefore = [...store.storedCases(first.runId)];
      expect(doneBefore.some((c) => c.variant < 0)).toBe(true);
      expect(doneBefore.length).toBeLessThan(13);

      const resumed = planResume(store, first.runId);
      expect(resumed.spec.aliases).toBe(true);
      expect(resumed.perTarget).toBe(13);
      expect(await runBenchmark({ ...base, aliases: resumed.spec.aliases, resume: first.runId })).toMatchObject({ status: 'finished', planned: 13, done: 13 });

      // Every case asked once: the script's turns and 11 distinct single texts, none repeated.
      expect(bot.asked).toHaveLength(14);
      expect(new Set(bot.asked).size).toBe(14);
      const stored = [...store.storedCases(first.runId)];
      expect(stored.filter((c) => c.style.startsWith(ALIAS_STYLE_PREFIX)).map((c) => [c.questionId, c.variant, c.style, c.turns[0]!.user]).sort()).toEqual([
        ['fl-materials-01', -2, 'alias:钓鱼证', '办理钓鱼证需要准备什么材料？'],
        ['fl-materials-01', -3, 'alias:垂钓证', '办理垂钓证需要准备什么材料？'],
        ['fl-place-01', -1, `alias:${OFFICIAL}`, `${OFFICIAL}的办理地点在哪里？`],
        ['fl-place-01', -2, 'alias:钓鱼证', '钓鱼证的办理地点在哪里？'],
        ['fl-time-01', -1, `alias:${OFFICIAL}`, `${OFFICIAL}办理时限是多少个工作日？`],
        ['fl-time-01', -3, 'alias:垂钓证', '垂钓证办理时限是多少个工作日？'],
      ]);

      const model = loadReportModel(store, first.runId);
      const [city] = model.targets;
      expect(city!.aliases).toEqual([
        { matter: 'fishing-licence', alias: OFFICIAL, official: true, asked: 2, recognized: 2, share: 100 },
        { matter: 'fishing-licence', alias: '垂钓证', official: false, asked: 2, recognized: 0, share: 0 },
        { matter: 'fishing-licence', alias: '钓鱼证', official: false, asked: 2, recognized: 0, share: 0 },
      ]);
      // The headline counts only the bank's own phrasings.
      expect(city!.cases).toBe(7);
      expect(city!.styles.map((s) => s.style)).toEqual(['canonical', 'colloquial']);

      expect(toJsonReport(model).targets[0]!.aliases).toEqual(city!.aliases);
      const md = renderMarkdown(model);
      expect(md).toContain('## Names of matters');
      expect(md).toContain('1 of 3 names understood; not understood: 垂钓证, 钓鱼证.');
      expect(md).toContain(`| fishing-licence | ${OFFICIAL} (official) | 2 | 2 | 100.0 |`);
      expect(md).toContain('| fishing-licence | 钓鱼证 | 2 | 0 | **0.0** |');
      // A name that is understood is counted but not listed: the tables stay small with many names.
      const understood = { matter: 'fishing-licence', alias: '垂钓许可', official: false, asked: 2, recognized: 2, share: 100 };
      const wider = renderMarkdown({ ...model, targets: [{ ...city!, aliases: [...city!.aliases, understood] }] });
      expect(wider).toContain('2 of 4 names understood; not understood: 垂钓证, 钓鱼证.');
      expect(wider).not.toContain('| 垂钓许可 |');
      const html = renderHtml(model, { worstAnswers: [] });
      expect(html).toContain('<a href="#aliases">Names</a>');
      expect(html).toContain('<section id="aliases"><h2>Names of matters</h2>');
      expect(html).toContain('1 of 3 names understood; not understood: <mark>垂钓证</mark>, <mark>钓鱼证</mark>.');
      expect(html).toContain(`<td>${OFFICIAL} (official)</td><td class="num">2</td><td class="num">2</td><td class="num">100.0</td>`);
    } finally {
      store.close();
      await bot.server.close();
    }
  });
});
