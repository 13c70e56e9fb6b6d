import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Target, Turn, Verdict } from '../src/domain/types.js';
import { loadReportModel } from '../src/reports/from-store.js';
import { openStore } from '../src/store/index.js';

const target = (id: string, name: string): Target => ({
  id,
  name,
  region: 'east',
  province: '浙江',
  adapter: { type: 'http-json', url: 'http://x', method: 'POST', headers: {}, reply: '$.a' },
  limits: { concurrency: 1, timeoutMs: 1000, retries: 0 },
  pos: { file: 'f', line: 1, column: 1 },
});
const turn = (ok: boolean, firstMs: number): Turn => ({
  index: 0,
  user: '问',
  reply: ok ? '答复' : '',
  raw: '',
  ok,
  ...(ok ? {} : { errorKind: 'timeout' as const }),
  firstMs,
  totalMs: firstMs + 100,
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

describe('loadReportModel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'govbench-from-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scores a stored run from its case records, listing targets without cases', () => {
    const store = openStore(join(dir, 'govbench.db'));
    try {
      store.createRun({
        id: 'r1',
        label: 'stored',
        banksHash: 'h',
        judge: 'matcher',
        options: {},
        targets: [
          { target: target('hz', '杭州'), planned: 3 },
          { target: target('nb', '宁波'), planned: 3 },
        ],
      });
      const question = { matterId: 'm', aspectId: 'a', intent: 'm/a', critical: false };
      const save = (questionId: string, ok: boolean, accuracy: number) =>
        store.saveCase({
          runId: 'r1',
          case: { targetId: 'hz', questionId, variant: 0, style: 'canonical', repeat: 0 },
          question,
          turns: [turn(ok, 3000)],
          verdicts: ok ? [{ verdict: verdict(accuracy), version: 'v1' }] : [],
        });
      save('q1', true, 1);
      save('q2', true, 0.5);
      save('q3', false, 0);

      const model = loadReportModel(store, 'latest', { bootstrap: { iterations: 0 } });
      expect(model.run).toMatchObject({ id: 'r1', label: 'stored', judge: 'matcher' });
      const hz = model.targets.find((t) => t.id === 'hz')!;
      // 3 cases, 1 timed out; accuracy (1 + 0.5) / 2 = 75; availability 2/3.
      expect(hz).toMatchObject({ name: '杭州', province: '浙江', cases: 3, errors: 1, judged: 2, errorKinds: { timeout: 1 } });
      expect(hz.scores.accuracy).toBeCloseTo(75, 9);
      expect(hz.scores.availability).toBeCloseTo(200 / 3, 9);
      expect(model.targets.find((t) => t.id === 'nb')).toMatchObject({ cases: 0, rank: null });
    } finally {
      store.close();
    }
  });
});
