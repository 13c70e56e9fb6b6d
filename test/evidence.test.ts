/**
 * Evidence for disputes: a run with `evidence` through a real deep-chat page in Chromium and a
 * loopback API keeps a PNG per answered widget turn, the send time of every turn and the run's
 * versions in a real SQLite file; the HTML report links each screenshot by a path that resolves from
 * the report's folder; `check` saves a screenshot for a widget target and none for an API target.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreWithHtml } from '../src/cli/commands/report.js';
import { loadTargets } from '../src/config/load-targets.js';
import type { RunRow, StoredCase } from '../src/domain/types.js';
import { renderCheckJson, renderCheckTable } from '../src/reports/check-table.js';
import { renderJson } from '../src/reports/json.js';
import { checkTargets } from '../src/runner/check-targets.js';
import { planRun } from '../src/runner/session/plan.js';
import { openRunSession } from '../src/runner/session/session.js';
import { recordedSpec } from '../src/runner/session/spec.js';
import { openStore } from '../src/store/index.js';
import { DEEP_CHAT, reply, useWidgetHarness } from './fixtures/widget/harness.js';
import { loopbackServer, runCli, sendJson, tempDir, TINY_BANK, type LoopbackServer } from './helpers.js';

const { site } = useWidgetHarness();

/** The tiny bank and a two-turn script, so turn times can be ordered within a conversation. */
const BANK = `${TINY_BANK}  - id: bp-script-01
    aspect: fees
    turns:
      - { user: 我想办个证 }
      - { user: 开船用的那个 }
    reference:
      answer: 不收费。
      keyPoints:
        - { id: free, text: 不收费, match: [不收费, 免费] }
`;

const PNG = '89504e47';
const isPng = (path: string): boolean => readFileSync(path).subarray(0, 4).toString('hex') === PNG;
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** A widget target, an API target and, with `silent`, a widget whose replies never show where it looks. */
function registry(widgetUrl: string, apiUrl: string, silent = false): string {
  const widget = { type: 'web-widget', url: widgetUrl, selectors: DEEP_CHAT, quietMs: 300 };
  const api = { type: 'http-json', url: apiUrl, body: { message: '{{message}}' }, reply: '$.answer' };
  const mute = { ...widget, selectors: { ...DEEP_CHAT, botMessage: '.never-there' } };
  return `targets:
  - { id: city-widget, name: 甲市, region: east, adapter: ${JSON.stringify(widget)}, limits: { concurrency: 1, timeoutMs: 10000, retries: 0 } }
  - { id: city-api, name: 乙市, region: north, adapter: ${JSON.stringify(api)}, limits: { concurrency: 1, timeoutMs: 5000, retries: 0 } }
${silent ? `  - { id: city-mute, name: 丙市, region: south, adapter: ${JSON.stringify(mute)}, limits: { concurrency: 1, timeoutMs: 2000, retries: 0 } }\n` : ''}`;
}

describe('run --evidence', () => {
  let api: LoopbackServer;
  let tmp: ReturnType<typeof tempDir>;
  let run: RunRow;
  let cases: StoredCase[];
  let html: string;
  let json: { run: { environment: unknown } };
  const results = (): string => join(tmp.dir, 'results');

  beforeAll(async () => {
    api = await loopbackServer((_req, res, body) => sendJson(res, 200, { answer: `收到：${(JSON.parse(body) as { message: string }).message}。<不收费>` }));
    tmp = tempDir({ 'bank.yaml': BANK, 'targets.yaml': registry(`${site().url}/chat.html`, `${api.url}/chat`, true) });
    const dbPath = join(results(), 'govbench.db');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(results());
    const store = openStore(dbPath);
    const plan = planRun({ banks: [tmp.path('bank.yaml')], targets: tmp.path('targets.yaml'), target: [], judge: 'matcher', repeat: 1, evidence: true });
    const session = await openRunSession(store, plan);
    try {
      await session.run(() => undefined);
    } finally {
      await session.close();
      store.close();
    }
    // Read back from the file, as a later `report` would.
    const reopened = openStore(dbPath, { existing: true });
    try {
      run = reopened.getRun(session.runId);
      cases = [...reopened.storedCases(run.id)];
      html = (await scoreWithHtml(reopened, run.id, undefined, undefined, results())).html;
      const { loadReportModel } = await import('../src/reports/from-store.js');
      json = JSON.parse(renderJson(loadReportModel(reopened, run.id))) as typeof json;
    } finally {
      reopened.close();
    }
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    tmp?.[Symbol.dispose]();
  });

  it('records the versions it ran with and that it kept evidence, so a resume keeps it too', () => {
    const env = run.environment!;
    expect(env.govbench).toBe(version);
    expect(env.node).toBe(process.versions.node);
    // The browser's own version, and which rule picked it.
    expect(env.browser).toMatch(/^chromium \d+(?:\.\d+){3} \((?:.+ \((?:config|env|system)\)|npm @sparticuz\/chromium .+)\)$/);
    expect(json.run.environment).toEqual(env);
    expect(recordedSpec(run).evidence).toBe(true);
  });

  it('keeps a PNG of the chat for every answered widget turn, in the run’s folder beside the database, and none for the API', () => {
    const widget = cases.filter((c) => c.targetId === 'city-widget');
    expect(widget.map((c) => c.turns.length).sort()).toEqual([1, 2]);
    const folder = join(results(), 'evidence', run.id, 'city-widget');
    for (const t of widget.flatMap((c) => c.turns)) {
      expect(t.ok).toBe(true);
      expect(t.reply).toMatch(/^第\d问收到：/);
      expect(t.screenshot!.startsWith(`${folder}/`)).toBe(true);
      expect(t.screenshot).toMatch(/\/[0-9a-f-]{36}\.png$/);
      expect(isPng(t.screenshot!)).toBe(true);
    }
    const shots = widget.flatMap((c) => c.turns.map((t) => t.screenshot));
    expect(new Set(shots).size).toBe(3);
    const script = widget.find((c) => c.turns.length === 2)!;
    expect(script.turns.map((t) => t.reply)).toEqual([reply(1, '我想办个证'), reply(2, '开船用的那个')]);
    for (const t of cases.filter((c) => c.targetId === 'city-api').flatMap((c) => c.turns)) expect(t.screenshot).toBeUndefined();
  });

  it('keeps the screenshot of a failed widget turn with the run’s evidence too', () => {
    const timedOut = cases.filter((c) => c.targetId === 'city-mute').flatMap((c) => c.turns.filter((t) => t.errorKind === 'timeout'));
    expect(timedOut.length).toBeGreaterThan(0);
    for (const t of timedOut) {
      expect(t.screenshot!.startsWith(join(results(), 'evidence', run.id, 'city-mute'))).toBe(true);
      expect(isPng(t.screenshot!)).toBe(true);
    }
  });

  it('records when every turn of every adapter was sent, in ISO 8601, in order', () => {
    const started = Date.parse(run.startedAt);
    for (const c of cases) {
      const times = c.turns.map((t) => t.at!);
      for (const at of times) {
        expect(new Date(at).toISOString()).toBe(at);
        expect(Date.parse(at)).toBeGreaterThanOrEqual(started - 1000);
        expect(Date.parse(at)).toBeLessThanOrEqual(Date.parse(run.finishedAt!));
      }
      // A turn is sent after the reply before it finished.
      for (let i = 1; i < times.length; i++) expect(Date.parse(times[i]!) - Date.parse(times[i - 1]!)).toBeGreaterThanOrEqual(c.turns[i - 1]!.totalMs - 50);
    }
    expect(cases.flatMap((c) => c.turns).every((t) => t.at !== undefined)).toBe(true);
  });

  it('links each screenshot in the HTML report by a path relative to the report, with the turn’s time and raw reply', () => {
    const hrefs = [...html.matchAll(/<a class="shot" href="([^"]+)">/g)].map((m) => m[1]!);
    const shots = cases.flatMap((c) => c.turns.flatMap((t) => (t.screenshot ? [t.screenshot] : [])));
    expect(hrefs.length).toBeGreaterThanOrEqual(shots.length);
    for (const shot of shots) {
      const href = `evidence/${run.id}/${shot.split('/').slice(-2).join('/')}`;
      expect(hrefs).toContain(href);
      expect(resolve(results(), decodeURIComponent(href))).toBe(shot);
      expect(existsSync(resolve(results(), href))).toBe(true);
    }
    for (const t of cases.flatMap((c) => c.turns)) expect(html).toContain(`<time datetime="${t.at}">`);
    expect(html).toContain(`govbench ${version} · Node ${process.versions.node} · browser chromium `);
    expect(html).toContain('<section id="evidence">');
    // The API's raw body, escaped inside a collapsed block.
    expect(html).toMatch(/<details class="raw"><summary>raw reply<\/summary><pre>\{&quot;answer&quot;:&quot;收到：要交钱吗？。&lt;不收费&gt;&quot;\}<\/pre><\/details>/);
    expect(html).not.toContain('<不收费>');
  });
});

describe('govbench run --evidence', () => {
  it('records the flag and the environment, and writes a report that shows them', async () => {
    const api = await loopbackServer((_req, res) => sendJson(res, 200, { answer: '不收费。' }));
    using tmp = tempDir({ 'bank.yaml': TINY_BANK, 'targets.yaml': registry(`${site().url}/chat.html`, `${api.url}/chat`) });
    try {
      const db = tmp.path('govbench.db');
      const r = await runCli(['run', '--evidence', '--targets', tmp.path('targets.yaml'), '--target', 'city-api', '--bank', tmp.path('bank.yaml'), '--db', db, '--json']);
      expect(r.code).toBe(0);
      const store = openStore(db, { existing: true });
      const row = store.getRun('latest');
      store.close();
      expect(row.options.evidence).toBe(true);
      // No widget target: no browser started, none recorded.
      expect(row.environment).toEqual({ govbench: version, node: process.versions.node });
      expect(readFileSync(tmp.path(`${row.id}.html`), 'utf8')).toContain(`govbench ${version} · Node ${process.versions.node} · question banks`);
    } finally {
      await api.close();
    }
  }, 60_000);
});

describe('govbench check', () => {
  it('saves a screenshot of a widget target’s page after its reply, and none for an API target', async () => {
    const api = await loopbackServer((_req, res) => sendJson(res, 200, { answer: '可以。' }));
    using tmp = tempDir({ 'targets.yaml': registry(`${site().url}/chat.html`, `${api.url}/chat`) });
    try {
      const reg = loadTargets(tmp.path('targets.yaml'));
      const checks = await checkTargets(reg.targets, { question: '您好', registry: reg, banks: null, evidence: { dir: tmp.path('check') } });
      const out = JSON.parse(renderCheckJson(checks)) as { targets: { id: string; status: string; screenshot: string | null }[] };
      expect(out.targets.map((t) => [t.id, t.status])).toEqual([
        ['city-widget', 'ready'],
        ['city-api', 'ready'],
      ]);
      const shot = out.targets[0]!.screenshot!;
      expect(shot.startsWith(tmp.path('check'))).toBe(true);
      expect(isPng(shot)).toBe(true);
      expect(out.targets[1]!.screenshot).toBeNull();
      const table = renderCheckTable(checks);
      expect(table).toContain(`\nscreenshots:\n  city-widget  ${shot}\n`);
      expect(table.endsWith('\n2 ready of 2\n')).toBe(true);
    } finally {
      await api.close();
    }
  }, 30_000);
});
