import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CalibrationReport } from '../src/judge/calibration.js';
import { openStore } from '../src/store/index.js';
import { tempDir, TINY_BANK } from './helpers.js';

const BIN = resolve('bin/govbench.js');
/** Two shipped banks: enough for a real comparison, small enough for a quick run. */
const SMALL = ['--bank', 'question-banks/matters/drug-retail-license.yaml', '--bank', 'question-banks/matters/out-of-scope.yaml'];
const BANK = TINY_BANK;
const TARGETS = `targets:
  - id: city-a
    name: 甲市
    region: east
    adapter:
      type: http-json
      url: http://127.0.0.1:9/chat
      headers: { Authorization: "Bearer \${GB_CLI_TOKEN}" }
      reply: $.answer
`;

function govbench(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A user error is one plain message: no stack frames. */
function expectPlainError(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).toMatch(/^govbench: /);
}

describe('govbench CLI', () => {
  it('without a terminal, bare `govbench` prints help instead of waiting for keys', () => {
    const bare = govbench([]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/Usage: govbench/);
    expect(bare.stdout).toMatch(/ui \[options\]/);
  });

  it('prints help and exits 0; an unknown command exits 2', () => {
    const help = govbench(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: govbench/);
    expect(govbench(['frobnicate']).code).toBe(2);
  });

  it('validates the shipped banks and registries, listing the key cities that still lack an endpoint', () => {
    const r = govbench(['validate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok {2}banks: \d+ files, \d+ matters/);
    expect(r.stdout).toMatch(/key-cities\.yaml: 56 targets, 0 with an endpoint/);
    expect(r.stdout).toMatch(/- targets\/key-cities\.yaml:\d+ {2}beijing \(北京/);
    expect(r.stdout).not.toMatch(/^warn/m);
  });

  it('validate warns about a reference answer its own question fails (a bank bug)', () => {
    using dir = tempDir({ 'bank.yaml': BANK.replace('        - { id: free, text: 不收费, match: [不收费, 免费] }', "        - { id: free, text: 不收费, match: [不收费, 免费] }\n      contradictions: ['/不收费/']") });
    const r = govbench(['validate', dir.path('bank.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^warn .*bank\.yaml:\d+:\d+: bp-fees-01: the matcher judges its own reference answer incorrect: contradicts the reference \(\/不收费\/\)/m);
  });

  it('validate warns, without failing, about a repealed source and a bank never reviewed', () => {
    using dir = tempDir({ 'bank.yaml': BANK.replace('matter:\n', 'matter:\n  sources: [{ title: 旧办法, repealed: 2020-01-01 }]\n') });
    const r = govbench(['validate', dir.path('bank.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^warn .*bank\.yaml:\d+:\d+: matter \S+: sources\[0\] 旧办法 was repealed on 2020-01-01/m);
    expect(r.stdout).toMatch(/^warn .*no reviewed: date/m);
  });

  it.each([
    ['broken YAML', 'bank.yaml', BANK.replace('aspects:', 'aspects: [\n'), /bank\.yaml:\d+:\d+: invalid YAML/],
    ['a wrong type', 'bank.yaml', BANK.replace('text: 要交钱吗？', 'text: [1]'), /bank\.yaml:9:11: questions\[0\]\.text: Invalid input: expected string/],
    ['an unknown aspect', 'bank.yaml', BANK.replace('aspect: fees', 'aspect: price'), /bank\.yaml:8:13: questions\[0\]\.aspect: unknown aspect "price"/],
    ['an unknown region', 'targets.yaml', TARGETS.replace('region: east', 'region: middle'), /targets\.yaml:4:13: targets\[0\]\.region: Invalid option/],
    ['a missing ${VAR}', 'targets.yaml', TARGETS, /targets\.yaml:8:33: targets\[0\]\.adapter\.headers\.Authorization: environment variable GB_CLI_TOKEN is not set/],
  ])('validate rejects %s: exit 2, file:line:column and the field', (_, name, text, expected) => {
    using dir = tempDir({ [name]: text });
    const r = govbench(['validate', dir.path(name)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(expected);
    expectPlainError(r.stderr);
  });

  it('validate rejects a question id duplicated across files, naming both', () => {
    using dir = tempDir({ 'a.yaml': BANK, 'b.yaml': BANK.replace('id: boat-permit', 'id: boat-permit-2') });
    const r = govbench(['validate', dir.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/b\.yaml:7:9: questions\[0\]\.id: duplicate question id "bp-fees-01" \(first at .*a\.yaml:7:9\)/);
  });

  it('run with bad input exits 2 and writes nothing', () => {
    using dir = tempDir({ 'bank.yaml': BANK, 'targets.yaml': TARGETS });
    const db = dir.path('g.db');
    const r = govbench(['run', '--bank', dir.path('bank.yaml'), '--targets', dir.path('targets.yaml'), '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/GB_CLI_TOKEN is not set/);
    expect(existsSync(db)).toBe(false);
  });

  it('a bug in our own code fails the run: exit 70, the stack on stderr, the case saved as a bug and not retried', () => {
    const targets = `targets:\n  - { id: city-a, name: 甲市, region: east, adapter: { type: http-json, url: "http://127.0.0.1:9/bug", reply: $.answer }, limits: { retries: 2 } }\n`;
    using dir = tempDir({ 'bank.yaml': BANK, 'targets.yaml': targets });
    const db = dir.path('g.db');
    const preload = pathToFileURL(resolve('test/fixtures/bug-in-http.mjs')).href;
    const r = govbench(['run', '--bank', dir.path('bank.yaml'), '--targets', dir.path('targets.yaml'), '--db', db], { NODE_OPTIONS: `--import=${preload}` });
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/govbench: internal error/);
    expect(r.stderr).toMatch(/TypeError: Cannot read properties of undefined \(reading 'headers'\)\n\s+at /);
    expect(r.stderr).toMatch(/finish the run with: govbench run --resume r\S+ --db /);
    const store = openStore(db, { existing: true });
    try {
      const [run] = store.listRuns();
      expect(run!.status).toBe('failed');
      const [stored] = [...store.storedCases(run!.id)];
      expect(stored!.turns[0]).toMatchObject({ ok: false, errorKind: 'bug', attempts: 1 });
      expect(stored!.turns[0]!.error).toMatch(/^TypeError: .*\n\s+at /);
    } finally {
      store.close();
    }
  });

  it('runs two simulated targets end to end, then reports and compares them from the database', () => {
    using dir = tempDir();
    const db = dir.path('g.db');
    const run = govbench(['run', ...SMALL, '--target', 'sim-province-v1', '--target', 'sim-province-v2', '--db', db, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      run: Record<string, unknown>;
      targets: { id: string; grade: string; cases: number; scores: { technicalSupport: number }; intervals: { technicalSupport: [number, number] } }[];
      regions: { id: string; best: string }[];
      matters: { id: string }[];
    };
    expect(Object.keys(report.run)).toEqual(expect.arrayContaining(['id', 'label', 'banksHash', 'judge', 'startedAt', 'finishedAt', 'status']));
    expect(report.run.status).toBe('finished');
    expect(report.targets.map((t) => t.id).sort()).toEqual(['sim-province-v1', 'sim-province-v2']);
    const [v1, v2] = ['sim-province-v1', 'sim-province-v2'].map((id) => report.targets.find((t) => t.id === id)!);
    expect(v2!.scores.technicalSupport).toBeGreaterThan(v1!.scores.technicalSupport);
    const [low, high] = v1!.intervals.technicalSupport!;
    expect(low).toBeLessThanOrEqual(v1!.scores.technicalSupport);
    expect(high).toBeGreaterThanOrEqual(v1!.scores.technicalSupport);
    expect(report.regions.find((r) => r.id === 'east')?.best).toBe('sim-province-v2');
    expect(report.matters.map((m) => m.id).sort()).toEqual(['drug-retail-license', 'out-of-scope']);

    const runId = report.run.id as string;
    for (const ext of ['md', 'json', 'html']) expect(existsSync(dir.path(`${runId}.${ext}`))).toBe(true);
    const md = govbench(['report', 'latest', '--db', db, '--format', 'md']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/## Leaderboard/);
    const out = dir.path('cases.csv');
    expect(govbench(['report', runId, '--db', db, '--format', 'csv', '--out', out]).code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\r\n').length).toBeGreaterThan(report.targets[0]!.cases);

    const gate = govbench(['compare', `${runId}:sim-province-v1`, `${runId}:sim-province-v2`, '--db', db, '--format', 'json', '--fail-on-regression']);
    expect(gate.code).toBe(1);
    const cmp = JSON.parse(gate.stdout) as { regression: boolean; criticalRegressions: string[]; fixed: number; regressed: number };
    expect(cmp.regression).toBe(true);
    expect(cmp.criticalRegressions.length).toBeGreaterThan(0);
    expect(cmp.fixed).toBeGreaterThan(cmp.regressed);
    expect(gate.stderr).toMatch(/critical questions regressed/);
  });

  it('rejudge re-scores a stored run without asking any chatbot', () => {
    using dir = tempDir();
    const db = dir.path('g.db');
    expect(govbench(['run', ...SMALL, '--target', 'sim-jinglan', '--db', db, '--json']).code).toBe(0);
    const r = govbench(['rejudge', 'latest', '--db', db, '--judge', 'matcher']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cases rejudged with --judge matcher/);
  });

  it('calibrate prints agreement, kappa, false passes and coverage as JSON', () => {
    const r = govbench(['calibrate', '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout) as CalibrationReport;
    expect(c.judge).toBe('matcher');
    expect(c.items).toBeGreaterThanOrEqual(250);
    expect(c.intent.agreement).toBeGreaterThanOrEqual(0.85);
    expect(c.verdict.agreement).toBeGreaterThanOrEqual(0.85);
    expect(Object.keys(c.verdict.confusion)).toEqual(['correct', 'partial', 'incorrect', 'no-answer']);
    expect(c.coverage).toBeGreaterThan(0.5);
    expect(c.coverage).toBeLessThan(1);
    expect(c.covered.items).toBe(Math.round(c.coverage * c.items));
    expect(c.covered.falsePass).toBeLessThan(c.falsePass);
    expect(c.kinds['hard-negative/negated']?.items).toBeGreaterThan(0);
  });
});
