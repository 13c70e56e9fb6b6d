/** The demo fleet recognises alias phrasings (`run --aliases`), and a persona with `aliasPenalty` fails names other than the official one. */
import { describe, expect, it } from 'vitest';
import { aliasPhrasings } from '../src/banks/alias-phrasings.js';
import { DEFAULT_BANK_DIR, loadBanks } from '../src/banks/load-banks.js';
import { loadTargets } from '../src/config/load-targets.js';
import { createBankIndex } from '../src/demo/bank-index.js';
import { DEFAULT_FLEET_SEED } from '../src/demo/fleet-server.js';
import { composeReply } from '../src/demo/persona-reply.js';
import { createDraw } from '../src/demo/prng.js';

const banks = loadBanks([DEFAULT_BANK_DIR]);
const registry = loadTargets('targets/demo.yaml', { env: {} });

describe('the demo fleet and alias phrasings', () => {
  it('resolves each alias phrasing to its question, official and colloquial names alike', () => {
    const index = createBankIndex(banks);
    const of = aliasPhrasings(banks);
    const q = banks.questions.find((x) => of(x).length > 1)!;
    for (const p of of(q)) expect(index.resolve(p.text, [])).toMatchObject({ kind: 'match', match: { question: { id: q.id }, variant: p.variant, style: p.style } });
  });

  it('gives the keyword bot a low share of answers on colloquial names and a high one on official names', () => {
    const index = createBankIndex(banks);
    const target = registry.targets.find((t) => t.adapter?.type === 'simulated' && t.adapter.persona === 'keyword-bot')!;
    const persona = registry.personas['keyword-bot']!;
    const of = aliasPhrasings(banks);
    const answered = { official: [0, 0], colloquial: [0, 0] };
    for (const q of banks.questions) {
      for (const p of of(q)) {
        const draw = createDraw(DEFAULT_FLEET_SEED, target.id, p.text, 0);
        const { trace } = composeReply({ persona, index, resolution: index.resolve(p.text, []), draw });
        const side = answered[p.variant === -1 ? 'official' : 'colloquial'];
        side[0]! += 1;
        if (trace.kind !== 'fallback') side[1]! += 1;
      }
    }
    const share = ([n, ok]: number[]) => ok! / n!;
    expect(answered.official[0]).toBeGreaterThan(50);
    expect(share(answered.official)).toBeGreaterThan(0.8);
    expect(share(answered.colloquial)).toBeLessThan(0.3);
  });
});
