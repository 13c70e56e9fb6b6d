import { describe, expect, it } from 'vitest';
import type { CaseRecord, Turn } from '../src/domain/types.js';
import { transcriptLines } from '../src/tui/results/transcript-lines.js';

const record: CaseRecord = {
  targetId: 'city',
  questionId: 'q1',
  matterId: 'm',
  aspectId: 'a',
  intent: 'm/a',
  variant: 0,
  style: 'canonical',
  repeat: 1,
  critical: false,
  available: true,
  errorKind: null,
  firstMs: 120,
  totalMs: 900,
  verdict: null,
  route: 'followed',
  failure: null,
};

const turns: Turn[] = [
  {
    index: 0,
    user: '怎么办理营业执照？',
    reply: '您是不是想问：\n1. 营业执照需要什么材料？\n2. 营业执照在哪里办？',
    raw: '',
    ok: true,
    firstMs: 120,
    totalMs: 400,
    attempts: 1,
    suggestions: ['营业执照需要什么材料？', '营业执照在哪里办？'],
    suggestionsOnly: true,
    at: '2026-12-03T08:00:00.000Z',
  },
  { index: 1, user: '营业执照需要什么材料？', reply: '携带身份证和申请表。', raw: '', ok: true, firstMs: 100, totalMs: 900, attempts: 1, followed: true, at: '2026-12-03T08:00:01.000Z' },
];

describe('a transcript on the results screen', () => {
  it('shows the suggestions offered, the one followed as a click rather than a question, and when each turn was sent', () => {
    const text = transcriptLines({ row: { id: 7, record, turns }, verdicts: [], question: null }, 'matcher', 100)
      .map((l) => l.text)
      .join('\n');
    expect(text).toContain('only suggestions: 营业执照需要什么材料？ | 营业执照在哪里办？');
    expect(text).toContain('问  怎么办理营业执照？');
    expect(text).toContain('点  营业执照需要什么材料？ (a suggested question, followed)');
    expect(text).toMatch(/sent 2026-12-03T08:00:00\.000Z · first reply 120 ms[\s\S]*sent 2026-12-03T08:00:01\.000Z · first reply 100 ms/);
  });
});
