import { describe, expect, it } from 'vitest';
import { bankWarnings } from '../src/banks/bank-warnings.js';
import { loadBanks } from '../src/banks/load-banks.js';
import { tempDir, TINY_BANK } from './helpers.js';

function warningsFor(matterLines: string, today: string): string[] {
  using dir = tempDir({ 'a.yaml': TINY_BANK.replace('matter:\n', `matter:\n${matterLines}`) });
  return bankWarnings(loadBanks([dir.dir]), new Date(today));
}

describe('bank warnings (govbench validate)', () => {
  it('says nothing of a bank reviewed within the year whose sources are in force', () => {
    expect(warningsFor('  reviewed: 2026-03-01\n  sources: [{ title: 新办法, effective: 2024-01-01 }]\n', '2026-12-03')).toEqual([]);
  });

  it('warns about a repealed source, with the bank’s position', () => {
    const w = warningsFor('  reviewed: 2026-03-01\n  sources: [{ title: 旧办法, repealed: 2024-01-01 }]\n', '2026-12-03');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/a\.yaml:\d+:\d+: matter boat-permit: sources\[0\] 旧办法 was repealed on 2024-01-01/);
  });

  it('warns about a bank not reviewed for over a year, or never', () => {
    expect(warningsFor('  reviewed: 2025-11-01\n', '2026-12-03')).toEqual([expect.stringMatching(/last reviewed 2025-11-01, 397 days ago/)]);
    expect(warningsFor('  reviewed: 2025-12-03\n', '2026-12-03')).toEqual([]);
    expect(warningsFor('', '2026-12-03')).toEqual([expect.stringMatching(/no reviewed: date/)]);
  });
});
