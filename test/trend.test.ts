/**
 * `govbench trend` (issue 15, item 4): three real runs against a loopback http-json bot, stored in a
 * real SQLite file — the second and third with one target's answers made worse, one target left out
 * of the second — then the trend through the CLI. The worse target's drop must be flagged as
 * significant; an identical rerun must not be; a target missing from a run is a gap, not a zero.
 * Pain points across runs are checked as a pure function on hand-built models.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PainPoint } from '../src/scoring/model.js';
import { painPointTrend, trendSeries, type TrendColumn } from '../src/scoring/trend.js';
import { parseTrendSelectors, trendFromStore } from '../src/reports/trend/from-store.js';
import { renderTrendHtml } from '../src/reports/trend/html.js';
import { planRun } from '../src/runner/session/plan.js';
import { openRunSession } from '../src/runner/session/session.js';
import { openStore } from '../src/store/index.js';
import { UserError } from '../src/util/errors.js';
import { loopbackServer, runCli, sendJson, tempDir, type LoopbackServer } from './helpers.js';

const QUESTIONS = 10;
/** Questions whose answers the worse release gets wrong: enough for McNemar's test at 0.05 (p = 2/2⁷). */
const DEGRADED = 7;

const BANK = `matter:
  id: boat-permit
  name: 船只许可
aspects:
  - { id: fees, name: 收费 }
questions:
${Array.from(
  { length: QUESTIONS },
  (_, i) => `  - id: bp-fees-${String(i + 1).padStart(2, '0')}
    aspect: fees
    text: 第${i + 1}问：船只许可要交钱吗？
    reference:
      answer: 船只许可不收费。
      keyPoints:
        - { id: free, text: 不收费, match: [不收费, 免费] }
`,
).join('')}`;

const target = (id: string, name: string, url: string): string =>
  `  - { id: ${id}, name: ${JSON.stringify(name)}, region: east, adapter: { type: http-json, url: "${url}/${id}", body: { message: "{{message}}" }, reply: $.answer }, limits: { concurrency: 2, timeoutMs: 5000, retries: 0 } }\n`;

interface TrendJson {
  runs: string[];
  targets: {
    id: string;
    name: string;
    points: { run: string; technicalSupport: number | null; low: number | null; high: number | null }[];
    change: { delta: number; low: number; high: number; significant: boolean; from: number; to: number; regressed: number; fixed: number; pValue: number } | null;
  }[];
  painPoints: unknown[];
}

describe('govbench trend over stored runs', () => {
  let bot: LoopbackServer;
  let tmp: ReturnType<typeof tempDir>;
  /** Targets whose answers are made worse, as the bot currently serves them. */
  const worse = new Set<string>();
  const runs: string[] = [];
  const db = (): string => tmp.path('g.db');

  async function run(targets: string[]): Promise<void> {
    const store = openStore(db());
    try {
      const plan = planRun({ banks: [tmp.path('bank.yaml')], targets: tmp.path('targets.yaml'), target: targets, judge: 'matcher', repeat: 1 });
      const session = await openRunSession(store, plan);
      try {
        await session.run(() => undefined);
      } finally {
        await session.close();
      }
      runs.push(session.runId);
    } finally {
      store.close();
    }
  }

  beforeAll(async () => {
    bot = await loopbackServer((req, res, body) => {
      const message = (JSON.parse(body) as { message: string }).message;
      const n = Number(/第(\d+)问/.exec(message)?.[1]);
      const bad = worse.has(req.url!.slice(1)) && n <= DEGRADED;
      sendJson(res, 200, { answer: bad ? '抱歉，我还在学习中，暂时无法回答您的问题。' : '船只许可不收费，无需缴纳任何费用。' });
    });
    tmp = tempDir({
      'bank.yaml': BANK,
      'targets.yaml': `targets:\n${target('city-a', '甲市', bot.url)}${target('city-b', '乙市', bot.url)}${target('city-c', '丙市<i>&', bot.url)}`,
    });
    await run([]);
    worse.add('city-b');
    await run(['city-a', 'city-b']);
    await run([]);
  }, 60_000);
  afterAll(async () => {
    await bot?.close();
    tmp?.[Symbol.dispose]();
  });

  it('flags the drop of the target whose answers got worse as significant, and not the target that answered alike', async () => {
    const r = await runCli(['trend', ...runs, '--db', db(), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as TrendJson;
    expect(t.runs).toEqual(runs);
    const [a, b, c] = ['city-a', 'city-b', 'city-c'].map((id) => t.targets.find((x) => x.id === id)!);

    expect(b!.change).toMatchObject({ from: 0, to: 2, significant: true, regressed: DEGRADED, fixed: 0 });
    expect(b!.change!.pValue).toBeCloseTo(2 / 2 ** DEGRADED, 10);
    expect(b!.change!.delta).toBeLessThan(-30);
    expect(b!.change!.high).toBeLessThan(0);
    expect(b!.points[1]!.technicalSupport).toBeLessThan(b!.points[0]!.technicalSupport! - 30);
    for (const p of b!.points) expect(p.low! <= p.technicalSupport! && p.technicalSupport! <= p.high!).toBe(true);

    expect(a!.change).toMatchObject({ delta: 0, low: 0, high: 0, significant: false, regressed: 0, fixed: 0 });
    expect(a!.points.map((p) => p.technicalSupport)).toEqual([a!.points[0]!.technicalSupport, a!.points[0]!.technicalSupport, a!.points[0]!.technicalSupport]);

    // Missing from the second run: a gap there, and the change spans the runs it was asked in.
    expect(c!.name).toBe('丙市<i>&');
    expect(c!.points[1]).toEqual({ run: runs[1], target: null, technicalSupport: null, low: null, high: null });
    expect(c!.points[0]!.technicalSupport).toBeGreaterThan(50);
    expect(c!.change).toMatchObject({ from: 0, to: 2, significant: false });
  });

  it('an identical rerun flags nothing, the worse target included', async () => {
    const r = await runCli(['trend', runs[1]!, runs[2]!, '--db', db(), '--format', 'json']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as TrendJson;
    const b = t.targets.find((x) => x.id === 'city-b')!;
    expect(b.change).toMatchObject({ delta: 0, significant: false, regressed: 0, fixed: 0, pValue: 1 });
    expect(t.targets.filter((x) => x.change?.significant)).toEqual([]);
    // In the last run only: no change to measure.
    expect(t.targets.find((x) => x.id === 'city-c')!.change).toBeNull();
  });

  it('renders a target × run table in Markdown with intervals and the drop flagged', async () => {
    const r = await runCli(['trend', ...runs, '--db', db()]);
    expect(r.code).toBe(0);
    const row = (name: string): string => r.stdout.split('\n').find((l) => l.startsWith(`| ${name} `))!;
    expect(row('乙市 (city-b)')).toMatch(/^\| 乙市 \(city-b\) \| \d+\.\d \(\d+\.\d–\d+\.\d\) \| .* \| \*\*▼ significant drop\*\* -\d+\.\d \[-\d+\.\d, -\d+\.\d\], p = 0\.0156 \(7 regressed, 0 fixed of 10 pairs\) \|$/);
    expect(row('甲市 (city-a)')).toMatch(/0\.0 \[0\.0, 0\.0\], p = 1 \(0 regressed, 0 fixed of 10 pairs\), not significant \|$/);
    // The gap is a dash, never a zero.
    expect(row('丙市<i>& (city-c)').split(' | ')[2]).toBe('—');
    expect(r.stdout).toMatch(/1 of 3 targets changed significantly/);
  });

  it('draws a line chart per target with its interval band, names escaped, into one self-contained page', () => {
    const store = openStore(db(), { existing: true });
    let html: string;
    try {
      html = renderTrendHtml(trendFromStore(store, runs));
    } finally {
      store.close();
    }
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).toContain('丙市&lt;i&gt;&amp;');
    expect(html).not.toContain('<i>&');
    expect(html).toMatch(/▼ significant drop/);
    expect(html).not.toMatch(/<script src|<link rel="stylesheet"|https?:\/\/(?!www\.w3\.org)/);
  });

  it('refuses one run, and selectors that name a target in some runs only, as user errors', () => {
    expect(() => parseTrendSelectors(['latest'])).toThrow(UserError);
    expect(() => parseTrendSelectors(['r1:city-a', 'r2'])).toThrow(/name a target in every run or in none/);
    const store = openStore(db(), { existing: true });
    try {
      expect(() => trendFromStore(store, [`${runs[0]}:city-z`, `${runs[2]}:city-z`])).toThrow(/has no target "city-z"/);
      expect(() => trendFromStore(store, runs, { alpha: 1 })).toThrow(UserError);
      // One line through named targets, as releases of one chatbot are compared.
      const t = trendFromStore(store, [`${runs[0]}:city-a`, `${runs[2]}:city-b`]);
      expect(t.targets.map((s) => s.id)).toEqual(['city-a→city-b']);
      expect(t.targets[0]!.change).toMatchObject({ significant: true, regressed: DEGRADED });
    } finally {
      store.close();
    }
  });
});

const pain = (kind: PainPoint['kind'], matter: string, aspect: string, cases: number): PainPoint => ({
  kind,
  matter,
  aspect,
  cases,
  share: 0,
  targets: 1,
  targetIds: ['t'],
  regions: {},
  examples: [],
});
const matter = (id: string, cases: number) => ({ id, cases }) as TrendColumn['model']['matters'][number];

describe('pain points across runs', () => {
  it('sums a kind over a matter’s aspects per run, tells appeared from gone, and leaves a matter not asked as a gap', () => {
    const models = [
      { matters: [matter('m1', 20), matter('m2', 10)], painPoints: [pain('fallback', 'm1', 'fees', 2), pain('fallback', 'm1', 'time', 3), pain('timeout', 'm2', 'fees', 4)] },
      { matters: [matter('m1', 40)], painPoints: [pain('fallback', 'm1', 'fees', 4)] },
      { matters: [matter('m1', 10), matter('m2', 10)], painPoints: [pain('wrong-fact', 'm1', 'fees', 5)] },
    ];
    const trend = painPointTrend(models);
    expect(trend).toEqual([
      { kind: 'wrong-fact', matter: 'm1', shares: [0, 0, 0.5], appeared: true, gone: false },
      { kind: 'timeout', matter: 'm2', shares: [0.4, null, 0], appeared: false, gone: true },
      { kind: 'fallback', matter: 'm1', shares: [0.25, 0.1, 0], appeared: false, gone: true },
    ]);
  });

  it('a pain point in one run only neither appeared nor went away', () => {
    const [p] = painPointTrend([
      { matters: [matter('m1', 10)], painPoints: [pain('handoff', 'm1', 'fees', 1)] },
      { matters: [], painPoints: [] },
    ]);
    expect(p).toEqual({ kind: 'handoff', matter: 'm1', shares: [0.1, null], appeared: false, gone: false });
  });

  it('orders lines as the last run ranks them, then targets missing from it; a planned target never asked is a gap', () => {
    const t = (id: string, cases: number) => ({ id, name: id.toUpperCase(), cases }) as TrendColumn['model']['targets'][number];
    const column = (targets: TrendColumn['model']['targets']): TrendColumn => ({
      run: { id: 'r', label: null, banksHash: 'h', judge: 'matcher', startedAt: '', finishedAt: null, status: 'finished' },
      target: null,
      model: { targets, matters: [], painPoints: [] },
    });
    const specs = trendSeries([column([t('x', 5), t('y', 5)]), column([t('y', 5), t('z', 5), t('x', 0)])]);
    expect(specs).toEqual([
      { id: 'y', name: 'Y', targets: ['y', 'y'] },
      { id: 'z', name: 'Z', targets: [null, 'z'] },
      { id: 'x', name: 'X', targets: ['x', null] },
    ]);
  });
});
