import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { tempDir, TINY_BANK } from './helpers.js';

const BIN = resolve('bin/govbench.js');
/** Gold-labelled answers to the tiny bank's one question, enough for both error rates. */
const SET = `items:
  - { question: bp-fees-01, answer: 不收费。, gold: { intentRecognized: true, verdict: correct } }
  - { question: bp-fees-01, answer: 办理船只许可免费，不收取任何费用。, gold: { intentRecognized: true, verdict: correct } }
  - { question: bp-fees-01, answer: 您好，请问还有什么可以帮您？, gold: { intentRecognized: false, verdict: no-answer } }
  - { question: bp-fees-01, answer: 抱歉，我还在学习中。, gold: { intentRecognized: false, verdict: no-answer } }
  - { question: bp-fees-01, answer: 不收费，但要先交五百元押金。, gold: { intentRecognized: true, verdict: incorrect }, note: a deposit is a fee; the matcher sees its key point }
`;

function govbench(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('calibrate --save, then report: judge-corrected accuracy through the CLI (needs `npm run build`)', () => {
  it('says no calibration applies, saves one to the SQLite file, and then corrects with it', () => {
    using dir = tempDir({ 'bank.yaml': TINY_BANK, 'set.yaml': SET });
    const db = dir.path('results.db');
    const BANKS = ['--bank', dir.path('bank.yaml')];
    const SETS = ['--set', dir.path('set.yaml')];
    expect(govbench(['run', ...BANKS, '--target', 'sim-jinglan', '--db', db, '--json']).code).toBe(0);

    const before = JSON.parse(govbench(['report', 'latest', '--db', db, '--format', 'json']).stdout);
    expect(before.calibration).toEqual({ applied: null, reason: expect.stringMatching(/no calibration of judge matcher is on record/) });
    expect(before.targets[0]).toMatchObject({ rankInterval: [1, 1], corrected: null });

    const saved = govbench(['calibrate', ...BANKS, ...SETS, '--save', '--db', db, '--json']);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toMatch(/saved calibration 1 of judge matcher \(version [0-9a-f]{12}\)/);
    const printed = JSON.parse(saved.stdout);

    const store = openStore(db, { existing: true });
    const [calibration] = store.calibrations('matcher');
    const run = store.getRun('latest');
    const versions = store.judgeVersions(run.id, 'matcher');
    store.close();
    expect(calibration!.items).toHaveLength(printed.items);
    expect(versions.map((v) => v.version)).toEqual([calibration!.judgeVersion]);

    // The rates the report corrects with, recomputed from the stored labels: correct against anything else.
    const usable = calibration!.items.filter((i) => i.predicted !== null);
    const goldOther = usable.filter((i) => i.gold.verdict !== 'correct');
    const goldCorrect = usable.filter((i) => i.gold.verdict === 'correct');
    const falsePass = goldOther.filter((i) => i.predicted!.verdict === 'correct').length / goldOther.length;
    const falseFail = goldCorrect.filter((i) => i.predicted!.verdict !== 'correct').length / goldCorrect.length;

    const after = JSON.parse(govbench(['report', 'latest', '--db', db, '--format', 'json']).stdout);
    expect(after.calibration).toMatchObject({ applied: { id: 1, judge: 'matcher', judgeVersion: calibration!.judgeVersion, items: usable.length }, reason: null });
    expect(after.calibration.applied.falsePass).toBeCloseTo(falsePass, 12);
    const t = after.targets[0];
    const q = t.verdicts.correct / t.judged;
    expect(t.corrected.observed).toBeCloseTo(100 * q, 2);
    expect(t.corrected.accuracy).toBeCloseTo(100 * Math.min(1, Math.max(0, (q - falsePass) / (1 - falsePass - falseFail))), 2);
    expect(t.corrected.low).toBeLessThanOrEqual(t.corrected.accuracy);
    expect(t.corrected.high).toBeGreaterThanOrEqual(t.corrected.accuracy);
    expect(falsePass).toBeGreaterThan(0);
  }, 60_000);
});
