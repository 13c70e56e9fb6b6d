import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, locateChromium } from '../src/adapters/utils/chromium.js';
import type { RegionId, Store } from '../src/domain/types.js';
import { renderHtml, selectWorstAnswers, WorstAnswerCollector, type WorstAnswer } from '../src/reports/html/index.js';
import { MAX_REPLY_CHARS } from '../src/reports/html/worst-answers.js';
import { loadReportModel } from '../src/reports/from-store.js';
import type { ReportModel } from '../src/scoring/model.js';
import { scoreRun } from '../src/scoring/score-run.js';
import { tempDir } from './helpers.js';
import { EVIL_NAME, EVIL_REPLY, fillStore, IMG, MATTER_NAMES, RUN_ID, SCRIPT, SPECS, TEXTAREA } from './report-html-fixtures.js';

const tmp = tempDir();
let store: Store;
let model: ReportModel;
let worst: WorstAnswer[];
let html: string;

beforeAll(() => {
  store = fillStore(tmp.dir);
  model = loadReportModel(store, RUN_ID, { bootstrap: { iterations: 200 } }, { matters: MATTER_NAMES });
  worst = selectWorstAnswers(store, RUN_ID, 'matcher');
  html = renderHtml(model, { worstAnswers: worst });
});
afterAll(() => {
  store.close();
  tmp[Symbol.dispose]();
});

const summary = (answers: WorstAnswer[]) =>
  Object.fromEntries(
    [...new Set(answers.map((a) => a.targetId))].map((t) => [t, answers.filter((a) => a.targetId === t).map((a) => `${a.questionId}:${a.verdict}`)]),
  );

describe('selectWorstAnswers', () => {
  it('lists incorrect, then no-answer, partial and failed answers, critical and less accurate first, one per question', () => {
    expect(summary(worst)).toEqual({
      sh: ['q2:incorrect', 'q3:no-answer', 'q1:partial', 'q4:failed'],
      evil: ['q3:incorrect', 'q1:incorrect', 'q4:partial'],
      bj: ['q2:partial', 'q1:partial'],
    });
    // q2 was answered wrongly in two phrasings: the earlier one stands for the question.
    expect(worst.find((a) => a.targetId === 'sh' && a.questionId === 'q2')).toMatchObject({ variant: 0, style: 'canonical', accuracy: 0 });
  });

  it('keeps only the worst few per target', () => {
    expect(summary(selectWorstAnswers(store, RUN_ID, 'matcher', 2))).toEqual({
      sh: ['q2:incorrect', 'q3:no-answer'],
      evil: ['q3:incorrect', 'q1:incorrect'],
      bj: ['q2:partial', 'q1:partial'],
    });
    expect(selectWorstAnswers(store, RUN_ID, 'matcher', 0)).toEqual([]);
    expect(() => selectWorstAnswers(store, RUN_ID, 'matcher', -1)).toThrow(TypeError);
  });

  it('carries the whole conversation, the rationale, and the error of a failure', () => {
    expect(worst.find((a) => a.targetId === 'evil' && a.questionId === 'q1')).toMatchObject({
      critical: false,
      rationale: `${SCRIPT}${TEXTAREA}`,
      turns: [
        { user: '问题 q1（canonical）', reply: '请问您要办理哪一种证件？' },
        { user: '追问 1', reply: EVIL_REPLY },
      ],
    });
    expect(worst.find((a) => a.targetId === 'evil' && a.questionId === 'q3')).toMatchObject({ critical: true });
    expect(worst.find((a) => a.targetId === 'sh' && a.questionId === 'q4')).toMatchObject({
      verdict: 'failed',
      accuracy: null,
      rationale: 'timeout: no reply within 10000 ms',
      turns: [{ reply: '' }],
    });
  });

  it('gives the same answers when fed by the pass that scores the run', () => {
    const collector = new WorstAnswerCollector();
    const targets = store.runTargets(RUN_ID).map((t) => ({ id: t.id, name: t.name, region: t.region as RegionId }));
    const scored = scoreRun({ run: model.run, targets, cases: collector.tap(store.caseRecords(RUN_ID, 'matcher')), config: { bootstrap: { iterations: 0 } } });
    expect(scored.totals.cases).toBe(SPECS.length);
    expect(collector.answers(store, RUN_ID)).toEqual(worst);
  });

  it('cuts very long replies', () => {
    store.createRun({ id: 'run-long', banksHash: 'h', judge: 'matcher', options: {}, targets: [] });
    store.saveCase({
      runId: 'run-long',
      case: { targetId: 'x', questionId: 'q', variant: 0, style: 'canonical', repeat: 0 },
      question: { matterId: 'm', aspectId: 'a', intent: 'm/a', critical: false },
      turns: [{ index: 0, user: 'u', reply: '长'.repeat(MAX_REPLY_CHARS + 500), raw: '', ok: true, firstMs: 1, totalMs: 2, attempts: 1 }],
      verdicts: [
        {
          version: 'v',
          verdict: { status: 'judged', judge: 'matcher', turn: 0, intentRecognized: false, predictedIntent: null, verdict: 'incorrect', accuracy: 0, keyPointsHit: [], factErrors: [], contradictions: [], rationale: '' },
        },
      ],
    });
    const [a] = selectWorstAnswers(store, 'run-long', 'matcher');
    expect(a!.turns[0]!.reply).toBe(`${'长'.repeat(MAX_REPLY_CHARS)}…`);
  });
});

describe('renderHtml', () => {
  it('escapes every name, rationale and reply, leaving one script of its own', () => {
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain(TEXTAREA);
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;');
  });

  it('pins its one script by hash in a Content-Security-Policy that forbids every fetch', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(html).not.toMatch(/\b(?:src|href)="(?!data:|#)/);
  });

  it('draws seven charts as inline SVG', () => {
    expect(html.match(/<figure class="chart"[^>]*><svg/g)).toHaveLength(7);
  });
});

// The browser the adapters would take, named in the suite so the output says which one was used.
describe(`the HTML report in ${locateChromium().label}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('runs nothing from the data, renders its charts, sorts tables, and fetches nothing', async () => {
    const file = join(tmp.dir, 'report.html');
    writeFileSync(file, html);
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    // Browser-side code as text: the project compiles without the DOM library.
    await page.addInitScript(
      "window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));",
    );
    await page.goto(url, { waitUntil: 'load' });

    const dom = (await page.evaluate(`(() => ({
      pwned: typeof window.__pwned,
      violations: window.__violations,
      scripts: document.querySelectorAll('script').length,
      imgs: document.querySelectorAll('img').length,
      textareas: document.querySelectorAll('textarea').length,
      handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
      text: document.body.textContent,
      ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
      charts: [...document.querySelectorAll('figure.chart svg')].map((svg) => ({
        width: svg.getBoundingClientRect().width,
        paths: svg.querySelectorAll('path').length,
      })),
    }))()`)) as { pwned: string; violations: string[]; text: string; ids: string[]; charts: { width: number; paths: number }[] };
    expect(dom.pwned).toBe('undefined');
    expect(dom.violations).toEqual([]);
    expect(dom).toMatchObject({ scripts: 1, imgs: 0, textareas: 0, handlers: [] });
    expect(new Set(dom.ids).size).toBe(dom.ids.length);
    expect(dom.text).toContain(EVIL_NAME);
    expect(dom.text).toContain(`第二行 ${TEXTAREA}${IMG}`);
    expect(dom.charts).toHaveLength(7);
    for (const c of dom.charts) {
      expect(c.width).toBeGreaterThan(300);
      expect(c.paths).toBeGreaterThan(3);
    }

    const namesInLeaderboard = () => page.locator('#leaderboard-table tbody td:nth-child(2)').allTextContents();
    const byScore = [...model.targets].sort((a, b) => a.scores.technicalSupport! - b.scores.technicalSupport!).map((t) => t.name);
    expect(new Set(model.targets.map((t) => t.scores.technicalSupport)).size).toBe(3); // an unambiguous order
    const header = page.locator('#leaderboard-table th', { hasText: /^Technical support$/ });
    await header.click();
    expect(await namesInLeaderboard()).toEqual(byScore);
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await header.click();
    expect(await namesInLeaderboard()).toEqual([...byScore].reverse());

    const shot = join(tmp.dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');

    expect(requests).toEqual([url]);
    await page.close();
  });
});
