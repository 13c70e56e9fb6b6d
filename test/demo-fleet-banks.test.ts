import { describe, expect, it } from 'vitest';
import { DEFAULT_BANK_DIR, loadBanks } from '../src/banks/load-banks.js';
import { loadTargets } from '../src/config/load-targets.js';
import { createBankIndex } from '../src/demo/bank-index.js';
import { keyPointFound } from '../src/demo/drop-key-points.js';
import { DEFAULT_FLEET_SEED } from '../src/demo/fleet-server.js';
import { composeReply, type ReplyTrace } from '../src/demo/persona-reply.js';
import { createDraw } from '../src/demo/prng.js';
import { REGIONS, type BankSet, type Target } from '../src/domain/types.js';

const registry = loadTargets('targets/demo.yaml', { env: {} });

describe('targets/demo.yaml', () => {
  it('has at least 14 fictional, simulated targets over all seven regions', () => {
    expect(registry.targets.length).toBeGreaterThanOrEqual(14);
    expect(new Set(registry.targets.map((t) => t.region))).toEqual(new Set(REGIONS));
    for (const t of registry.targets) {
      expect(t.id).toMatch(/^sim-/);
      expect(t.name).toMatch(/^模拟·/);
      expect(t.adapter?.type).toBe('simulated');
    }
  });

  it('uses every persona it defines', () => {
    const used = new Set(registry.targets.map((t) => (t.adapter?.type === 'simulated' ? t.adapter.persona : '')));
    expect(used).toEqual(new Set(Object.keys(registry.personas)));
  });

  it('holds the province assistant in two releases sharing a role', () => {
    const pair = registry.targets.filter((t) => t.role === 'province-assistant').map((t) => t.id);
    expect(pair).toEqual(['sim-province-v1', 'sim-province-v2']);
  });

  it('keeps the demo fast: small latencies, timeouts only where a persona stalls, and short ones there', () => {
    for (const t of registry.targets) {
      const p = registry.personas[(t.adapter as { persona: string }).persona]!;
      expect(p.latency.medianMs, t.id).toBeLessThanOrEqual(1000);
      // Expected wall time of the target alone for ~400 cases at its concurrency.
      expect((400 * p.latency.medianMs) / t.limits.concurrency, t.id).toBeLessThan(25_000);
      if (p.faults.timeout > 0) expect(t.limits.timeoutMs, t.id).toBeLessThanOrEqual(2000);
    }
  });
});

/** Replies as the fleet makes them (same draws as the server), without HTTP or latency. */
function replies(banks: BankSet, target: Target): { trace: ReplyTrace; text: string; variant: number }[] {
  const index = createBankIndex(banks);
  const persona = registry.personas[(target.adapter as { persona: string }).persona]!;
  const out: { trace: ReplyTrace; text: string; variant: number }[] = [];
  for (const q of banks.questions) {
    const phrasings = q.turns ? [[...q.turns.map((t) => t.user)]] : [q.text, ...q.variants.map((v) => v.text)].map((m) => [m]);
    phrasings.forEach((messages, variant) => {
      const history: string[] = [];
      for (const message of messages) {
        const resolution = index.resolve(message, history);
        const turn = resolution.kind === 'match' ? resolution.match.turn : history.length;
        const draw = createDraw(DEFAULT_FLEET_SEED, target.role ?? target.id, message, turn);
        const reply = composeReply({ persona, index, resolution, draw });
        out.push({ ...reply, variant });
        history.push(message);
      }
    });
  }
  return out;
}

const byId = (id: string) => registry.targets.find((t) => t.id === id)!;
const share = (rs: { trace: ReplyTrace }[], kind: string) => rs.filter((r) => r.trace.kind === kind).length / Math.max(1, rs.length);

const bankSets: [string, string][] = [
  ['test fixture', 'test/fixtures/demo-bank'],
  ['shipped banks', DEFAULT_BANK_DIR],
];

describe.each(bankSets)('the demo fleet over the %s', (_, path) => {
  const banks = loadBanks([path]);

  it('recognises every phrasing and script turn, and replies with text for each', () => {
    for (const t of registry.targets) {
      for (const r of replies(banks, t)) {
        expect(r.text.trim(), t.id).not.toBe('');
        expect(['unknown', 'lost-context'], `${t.id}: ${r.trace.questionId}`).not.toContain(r.trace.kind);
      }
    }
  });

  it('the exemplary persona answers with every key point of the reference it recognised', () => {
    const questions = new Map(banks.questions.map((q) => [q.id, q]));
    for (const r of replies(banks, byId('sim-donglan'))) {
      if (r.trace.kind !== 'answer') continue;
      const q = questions.get(r.trace.questionId!)!;
      for (const kp of q.reference.keyPoints) {
        if (keyPointFound(q.reference.answer, kp)) expect(keyPointFound(r.text, kp), `${q.id} ${kp.id}`).toBe(true);
      }
    }
  });

  it('the keyword bot falls back on variants far more than on canonical questions', () => {
    const rs = replies(banks, byId('sim-lingpu'));
    const canonical = rs.filter((r) => r.variant === 0);
    const variants = rs.filter((r) => r.variant > 0);
    expect(share(variants, 'fallback')).toBeGreaterThan(share(canonical, 'fallback') + 0.3);
  });
});

// Rates need a bank of some size to show; the fixture has one script and two out-of-scope questions.
describe('the demo fleet over the shipped banks', () => {
  const banks = loadBanks([DEFAULT_BANK_DIR]);

  it('province v2 fixes variant fallbacks and clarifying, and regresses on numbers and out-of-scope', () => {
    const v1 = replies(banks, byId('sim-province-v1'));
    const v2 = replies(banks, byId('sim-province-v2'));
    expect(share(v2, 'fallback')).toBeLessThan(share(v1, 'fallback'));
    expect(share(v2, 'clarify')).toBeGreaterThan(share(v1, 'clarify'));
    const changed = (rs: typeof v1) => rs.filter((r) => r.trace.changedFact).length;
    expect(changed(v2)).toBeGreaterThan(changed(v1));
    expect(share(v2, 'invented')).toBeGreaterThan(share(v1, 'invented'));
  });
});
