import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { createMatcherJudge } from '../src/judge/matcher/index.js';
import { createMatcherPool } from '../src/judge/matcher-pool/index.js';

describe('matcher pool', () => {
  it('gives the same verdicts as the matcher on the main thread, spread over its workers', async () => {
    const banks = loadBanks(['question-banks/matters']);
    const matcher = createMatcherJudge(banks);
    const pool = await createMatcherPool({ banks, size: 2 });
    try {
      expect(pool.version).toBe(matcher.version);
      const inputs = banks.questions.flatMap((q) => [
        { question: q, turn: (q.turns?.length ?? 1) - 1, answer: q.reference.answer },
        { question: q, turn: 0, answer: '抱歉，我没有理解您的问题，请换个说法。' },
        { question: q, turn: 0, answer: `${q.reference.answer.slice(0, 30)}，请拨打12345咨询。` },
      ]);
      const fromPool = await Promise.all(inputs.map((i) => pool.judge(i)));
      expect(fromPool).toEqual(inputs.map((i) => matcher.judge(i)));
      expect(new Set(fromPool.map((v) => (v.status === 'judged' ? v.verdict : 'unjudged'))).size).toBeGreaterThan(2);
    } finally {
      await pool.close();
    }
  });

  it('rejects a question the workers do not know, so the runner records the case unjudged', async () => {
    const banks = loadBanks(['test/fixtures/core']);
    const pool = await createMatcherPool({ banks, size: 1 });
    try {
      const stranger = { ...banks.questions[0]!, id: 'not-in-the-banks' };
      await expect(pool.judge({ question: stranger, turn: 0, answer: '答复' })).rejects.toThrow(/not-in-the-banks is not in the worker's banks/);
    } finally {
      await pool.close();
    }
  });
});
