import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Target, Turn, Verdict } from '../src/domain/types.js';
import { renderAspectsHtml } from '../src/reports/aspects/html.js';
import { renderAspectsMarkdown } from '../src/reports/aspects/markdown.js';
import { loadReportModel } from '../src/reports/from-store.js';
import { resolveAspectsConfig } from '../src/scoring/aspects-config.js';
import { scoreAspects } from '../src/scoring/aspects.js';
import type { PainPoint } from '../src/scoring/model.js';
import { openStore } from '../src/store/index.js';
import { tempDir } from './helpers.js';

const BIN = resolve('bin/govbench.js');

/** The CLI in this process (its command tree, error handling and exit code), output captured. */
async function govbench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const capture = (stream: 'stdout' | 'stderr') =>
    vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => ((out[stream] += String(chunk)), true));
  const spies = [capture('stdout'), capture('stderr')];
  try {
    await main(['node', 'govbench', ...args]);
    return { code: Number(process.exitCode ?? 0), ...out };
  } finally {
    for (const spy of spies) spy.mockRestore();
    process.exitCode = undefined;
  }
}

const target = (id: string, name: string, region: Target['region']): Target => ({
  id,
  name,
  region,
  adapter: { type: 'http-json', url: 'http://127.0.0.1:9/chat', method: 'POST', headers: {}, reply: '$.a' },
  limits: { concurrency: 1, timeoutMs: 1000, retries: 0 },
  pos: { file: 'targets.yaml', line: 1, column: 1 },
});
const turn = (ok: boolean): Turn => ({
  index: 0,
  user: '问',
  reply: ok ? '答复' : '',
  raw: '',
  ok,
  ...(ok ? {} : { errorKind: 'timeout' as const }),
  firstMs: 2000,
  totalMs: 2100,
  attempts: 1,
});
const verdict = (accuracy: number): Verdict => ({
  status: 'judged',
  judge: 'matcher',
  turn: 0,
  intentRecognized: true,
  predictedIntent: 'm/a',
  verdict: accuracy === 1 ? 'correct' : 'partial',
  accuracy,
  keyPointsHit: [],
  factErrors: [],
  contradictions: [],
  rationale: '',
});

/**
 * Chatbot (technical-support) scores by hand, weights 0.4 accuracy, 0.3 intent, 0.2 availability,
 * 0.1 responsiveness (every reply within 3 s: 100; intent always recognized: 100):
 * hz: accuracy (1 + 0.5)/2 = 75, availability 2/3 → 30 + 30 + 13.33 + 10 = 83.33
 * nb: all correct → 100;  cd: accuracy 50 → 20 + 30 + 20 + 10 = 80;  wh: 100 (not in the sheet).
 */
const CASES: Record<string, (number | null)[]> = { hz: [1, 0.5, null], nb: [1, 1], cd: [0.5, 0.5], wh: [1] };

/** Excel's export: a BOM, CRLF, a quoted name holding a comma; gz is in the registry, not the run. */
const SHEET =
  '\uFEFFtarget,city,serviceGuide,matterHandling,interactiveCommunication,technicalSupportOther\r\n' +
  'hz,"杭州市, 浙江",90,80,70,60\r\n' +
  'nb,宁波,60,70,80,100\r\n' +
  'cd,<b>成都</b>,85,95,75,80\r\n' +
  'gz,广州,88,92,90,70\r\n';

const REGISTRY = `targets:
  - { id: gz, name: 广州, region: south, adapter: { type: http-json, url: "", reply: "" } }
`;

describe('report --aspects: the four-aspect city report', () => {
  const dir = tempDir({ 'scores.csv': SHEET, 'cities.yaml': REGISTRY });
  const db = dir.path('g.db');
  afterAll(() => dir[Symbol.dispose]());

  beforeAll(() => {
    const store = openStore(db);
    try {
      const targets = [target('hz', '杭州', 'east'), target('nb', '宁波', 'east'), target('cd', '成都', 'southwest'), target('wh', '武汉', 'central')];
      store.createRun({ id: 'r1', banksHash: 'h', judge: 'matcher', options: {}, targets: targets.map((t) => ({ target: t, planned: 3 })) });
      for (const [targetId, accuracies] of Object.entries(CASES)) {
        accuracies.forEach((accuracy, i) =>
          store.saveCase({
            runId: 'r1',
            case: { targetId, questionId: `q${i + 1}`, variant: 0, style: 'canonical', repeat: 0 },
            question: { matterId: 'm', aspectId: 'a', intent: 'm/a', critical: false },
            turns: [turn(accuracy !== null)],
            verdicts: accuracy === null ? [] : [{ verdict: verdict(accuracy), version: 'v1' }],
          }),
        );
      }
      store.setRunStatus('r1', 'finished');
    } finally {
      store.close();
    }
  });

  const base = () => ['report', 'r1', '--db', db, '--aspects', dir.path('scores.csv'), '--targets', dir.path('cities.yaml')];

  it('merges the hand scores with the chatbot scores: overall, grades, ranks, regions, the weakest indicator (checked by hand)', async () => {
    const store = openStore(db, { existing: true });
    let report;
    try {
      const model = loadReportModel(store, 'r1', { bootstrap: { iterations: 0 } });
      const { readAspectsCsv } = await import('../src/config/aspects-csv.js');
      const rows = readAspectsCsv(dir.path('scores.csv'), { has: (id) => ['hz', 'nb', 'cd', 'wh', 'gz'].includes(id), source: 'test' });
      expect(rows.map((r) => r.city)).toEqual(['杭州市, 浙江', '宁波', '<b>成都</b>', '广州']);
      report = scoreAspects({ model, rows, registry: new Map([['gz', { name: '广州', region: 'south' }]]), config: resolveAspectsConfig(), source: 'scores.csv' });
    } finally {
      store.close();
    }
    const by = Object.fromEntries(report.cities.map((c) => [c.id, c]));
    // Technical support = 0.5·chatbot + 0.5·technicalSupportOther; overall = mean of the four aspects.
    expect(by.hz!.chatbot).toBeCloseTo(83.3333, 3);
    expect(by.hz!.scores.technicalSupport).toBeCloseTo(71.6667, 3);
    expect(by.hz!.overall).toBeCloseTo((90 + 71.6667 + 80 + 70) / 4, 3);
    expect(by.nb!.overall).toBeCloseTo(77.5, 9);
    expect(by.cd!.overall).toBeCloseTo(83.75, 9);
    expect(report.cities.map((c) => [c.id, c.rank, c.grade, c.weakest])).toEqual([
      ['cd', 1, 'good', 'interactiveCommunication'],
      ['hz', 2, 'good', 'interactiveCommunication'],
      ['nb', 3, 'good', 'serviceGuide'],
      ['gz', null, null, 'serviceGuide'],
    ]);
    // Not in the run: hand scores kept, technical support missing rather than 0.
    expect(by.gz).toMatchObject({ inRun: false, chatbot: null, overall: null, scores: { serviceGuide: 88, technicalSupport: null } });
    expect(report.missingFromSheet).toEqual([{ id: 'wh', name: '武汉', region: 'central', chatbot: 100 }]);
    expect(report.regions.map((r) => [r.id, r.rank, r.best])).toEqual([
      ['southwest', 1, 'cd'],
      ['east', 2, 'hz'],
      ['south', null, null],
    ]);
    expect(report.regions[1]!.overall).toBeCloseTo((by.hz!.overall! + 77.5) / 2, 9);
    expect(report.means.technicalSupport).toBeCloseTo((71.6667 + 100 + 80) / 3, 3);
    expect(report.weakest!.aspect).toBe('interactiveCommunication');
    expect(report.weakest!.mean).toBeCloseTo(78.75, 9);
    // The run's one failure, a timeout, is its pain-point catalogue.
    expect(report.painKinds.map((p) => [p.kind, p.cases, p.targets])).toEqual([['timeout', 1, 1]]);
    expect(renderAspectsMarkdown(report)).not.toMatch(/No pain points catalogued/);
    expect(renderAspectsMarkdown({ ...report, painKinds: [] })).toMatch(/No pain points catalogued/);

    const pain = (kind: PainPoint['kind'], cases: number, targetIds: string[]): PainPoint => ({ kind, matter: 'm', aspect: 'a', cases, share: 0, targets: targetIds.length, targetIds, regions: {}, examples: [] });
    const withPain = scoreAspects({
      model: { ...report, config: { grades: report.config.grades } as never, targets: [], totals: { cases: 10 } as never, painPoints: [pain('fallback', 2, ['hz']), pain('wrong-fact', 3, ['nb']), pain('fallback', 2, ['cd', 'hz'])] },
      rows: [],
      registry: new Map(),
      config: resolveAspectsConfig(),
      source: 's',
    });
    expect(withPain.painKinds).toEqual([
      { kind: 'fallback', cases: 4, share: 0.4, targets: 2 },
      { kind: 'wrong-fact', cases: 3, share: 0.3, targets: 1 },
    ]);
    expect(renderAspectsHtml(withPain)).toMatch(/id="chart-pain-kinds"><svg/);
  });

  it('weights and the chatbot share come from the config; equal overall scores tie', () => {
    const grades = { excellent: 85, good: 70, average: 60 };
    const model = {
      run: { id: 'r', label: null, banksHash: 'h', judge: 'matcher', startedAt: '', finishedAt: null, status: 'finished' },
      config: { grades },
      targets: [
        { id: 'a', name: 'A', region: 'east', scores: { technicalSupport: 90 } },
        { id: 'b', name: 'B', region: 'east', scores: { technicalSupport: 50 } },
        { id: 'c', name: 'C', region: 'north', scores: { technicalSupport: 70 } },
      ],
      painPoints: [],
      totals: { cases: 0 },
    } as never;
    const row = (target: string, sg: number, mh: number, ic: number, other: number | null) => ({
      pos: { file: 's.csv', line: 1, column: 1 },
      target,
      city: null,
      scores: { serviceGuide: sg, matterHandling: mh, interactiveCommunication: ic },
      technicalSupportOther: other,
    });
    const config = resolveAspectsConfig({ weights: { serviceGuide: 0.1, technicalSupport: 0.6, matterHandling: 0.2, interactiveCommunication: 0.1 }, chatbotShare: 0.8 });
    const r = scoreAspects({ model, rows: [row('a', 50, 50, 50, 40), row('b', 100, 100, 70, 90), row('c', 60, 60, 60, 60)], registry: new Map(), config, source: 's' });
    const by = Object.fromEntries(r.cities.map((c) => [c.id, c]));
    // a: TS 0.8·90 + 0.2·40 = 80; overall 0.1·50 + 0.6·80 + 0.2·50 + 0.1·50 = 68.
    expect(by.a!.scores.technicalSupport).toBeCloseTo(80, 9);
    expect(by.a!.overall).toBeCloseTo(68, 9);
    // b: TS 0.8·50 + 0.2·90 = 58; overall 10 + 34.8 + 20 + 7 = 71.8.   c: TS 68; overall 6 + 40.8 + 12 + 6 = 64.8.
    expect(by.b!.overall).toBeCloseTo(71.8, 9);
    expect(by.c!.overall).toBeCloseTo(64.8, 9);
    expect(r.cities.map((c) => [c.id, c.rank, c.grade])).toEqual([
      ['b', 1, 'good'],
      ['a', 2, 'average'],
      ['c', 3, 'average'],
    ]);
    expect(r.regions.map((g) => [g.id, g.best])).toEqual([
      ['east', 'b'],
      ['north', 'c'],
    ]);
    // Without a technicalSupportOther column, technical support is the chatbot score alone.
    const alone = scoreAspects({ model, rows: [row('a', 70, 70, 70, null), row('c', 70, 70, 70, null)], registry: new Map(), config: resolveAspectsConfig(), source: 's' });
    expect(alone.cities.map((c) => [c.id, c.scores.technicalSupport, c.overall, c.rank, c.tied])).toEqual([
      ['a', 90, 75, 1, false],
      ['c', 70, 70, 2, false],
    ]);
    const tie = scoreAspects({ model, rows: [row('a', 70, 70, 70, 50), row('c', 70, 70, 70, 70)], registry: new Map(), config: resolveAspectsConfig({ chatbotShare: 0.5 }), source: 's' });
    expect(tie.cities.map((c) => [c.id, c.overall, c.rank, c.tied])).toEqual([
      ['a', 70, 1, true],
      ['c', 70, 1, true],
    ]);
    expect(() => resolveAspectsConfig({ weights: { serviceGuide: 0.5 } })).toThrow(/aspects\.weights: the four weights must sum to 1/);
  });

  it('writes Markdown and HTML through the CLI, city names escaped', async () => {
    const md = await govbench([...base(), '--format', 'md']);
    const html = await govbench([...base(), '--format', 'html', '--out', dir.path('r.html')]);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^\| 1 \| <b>成都<\/b> \| 西南 southwest \| 良好 good \| 83\.8 \| 85\.0 \| 80\.0 \| 95\.0 \| 75\.0 \| 80\.0 \| 互动交流 Interactive communication \(75\.0\) \|$/m);
    expect(md.stdout).toMatch(/^\| — \| 广州 \| 华南 south \| — \| — \| 88\.0 \| — \(not measured\) \| 92\.0 \| 90\.0 \| — \|/m);
    expect(md.stdout).toMatch(/Overall: 0\.25·服务指南 Service guide \+ 0\.25·技术支撑 Technical support/);
    expect(md.stdout).toMatch(/Targets of the run missing from the sheet \(1\): 武汉 \(wh, chatbot 100\.0\)/);
    expect(md.stdout).toMatch(/weakest indicator across cities: \*\*互动交流 Interactive communication \(78\.8\)\*\*/);
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(dir.path('r.html'), 'utf8');
    expect(page).toContain('&lt;b&gt;成都&lt;/b&gt;');
    expect(page).not.toContain('<b>成都');
    expect(page).toContain('杭州市, 浙江');
    expect(page).toMatch(/id="chart-aspects-cities"><svg/);
    expect(page).toMatch(/id="chart-aspects-regions"><svg/);
    expect(page).toMatch(/id="chart-pain-kinds"><svg/);
  });

  it('reads the evaluation\'s Chinese headers in GB18030; without technicalSupportOther, technical support is the chatbot score', async () => {
    // 城市,目标,服务指南,事项办理,互动交流 / 宁波,nb,60,70,80 in GB18030, as Excel on a Chinese Windows saves it.
    writeFileSync(dir.path('gbk.csv'), Buffer.from('b3c7cad02cc4bfb1ea2cb7fecef1d6b8c4cf2ccac2cfeeb0ecc0ed2cbba5b6afbdbbc1f70ac4feb2a82c6e622c36302c37302c38300a', 'hex'));
    const r = await govbench(['report', 'r1', '--db', db, '--aspects', dir.path('gbk.csv'), '--targets', dir.path('cities.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    // Overall = (60 + 100 + 70 + 80) / 4 = 77.5; hz, cd and wh are listed as missing from the sheet.
    expect(r.stdout).toMatch(/^\| 1 \| 宁波 \| 华东 east \| 良好 good \| 77\.5 \| 60\.0 \| 100\.0 \| 70\.0 \| 80\.0 \| 100\.0 \|/m);
    expect(r.stdout).toMatch(/Targets of the run missing from the sheet \(3\): 成都 \(cd, chatbot 80\.0\), 杭州 \(hz, chatbot 83\.3\), 武汉 \(wh, chatbot 100\.0\)/);
  });

  it('takes the weights from --config and prints them; a bad aspects section or a stray --targets exits 2', async () => {
    writeFileSync(dir.path('good.yaml'), 'aspects:\n  weights: { serviceGuide: 0.1, technicalSupport: 0.6, matterHandling: 0.2, interactiveCommunication: 0.1 }\n  chatbotShare: 1\n');
    writeFileSync(dir.path('bad.yaml'), 'aspects:\n  weights: { serviceGuide: 0.5 }\n');
    const good = await govbench([...base(), '--config', dir.path('good.yaml')]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/Overall: 0\.1·服务指南 Service guide \+ 0\.6·技术支撑 Technical support \+ 0\.2·事项办理 Matter handling \+ 0\.1·互动交流/);
    // nb: technical support = its chatbot score 100; overall 6 + 60 + 14 + 8 = 88, excellent and first.
    expect(good.stdout).toMatch(/^\| 1 \| 宁波 \| 华东 east \| 优秀 excellent \| 88\.0 \| 60\.0 \| 100\.0 \|/m);
    const bad = await govbench([...base(), '--config', dir.path('bad.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/aspects\.weights: the four weights must sum to 1/);
    const stray = await govbench(['report', 'r1', '--db', db, '--targets', dir.path('cities.yaml')]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--config and --targets go with --aspects/);
  });

  it.each([
    ['a missing column', SHEET.replace(',matterHandling', ',handling'), /scores\.csv:1: no matterHandling column; expected a header row/],
    ['a score of 120', SHEET.replace('nb,宁波,60', 'nb,宁波,120'), /scores\.csv:3:3: serviceGuide: expected a score 0–100, got "120"/],
    ['an unknown target', SHEET.replace('gz,', 'xx,'), /scores\.csv:5:1: target: unknown target "xx"; expected a target id of the run or .*cities\.yaml/],
    ['a repeated target', SHEET.replace('gz,广州', 'hz,广州'), /scores\.csv:5:1: target: target "hz" repeats line 2; expected one row per city/],
  ])('rejects a sheet with %s: exit 2, file:line:column, no stack, no file written', async (_, sheet, expected) => {
    using bad = tempDir({ 'scores.csv': sheet });
    const out = bad.path('r.md');
    const r = await govbench(['report', 'r1', '--db', db, '--aspects', bad.path('scores.csv'), '--targets', dir.path('cities.yaml'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(bad.dir)).toEqual(['scores.csv']);
  });

  it('the built command exits 2 on a bad sheet, every problem listed at once', () => {
    using bad = tempDir({ 'scores.csv': SHEET.replace('nb,宁波,60', 'nb,宁波,abc').replace('gz,广州,88', 'gz,广州,') });
    const r = spawnSync(process.execPath, [BIN, ...base().slice(0, 5), bad.path('scores.csv'), '--targets', dir.path('cities.yaml'), '--format', 'html'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^govbench: .*scores\.csv:3:3: serviceGuide: expected a score 0–100, got "abc"\n.*scores\.csv:5:3: serviceGuide: empty; expected a score 0–100$/m);
    expect(r.stdout).toBe('');
  });
});
