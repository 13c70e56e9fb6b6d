import type { BankSet, Judge } from '../domain/types.js';
import { createMatcherJudge } from '../judge/matcher/index.js';

/** The judges a `--judge` mode applies; the first is the judge of record. */
export function createJudges(mode: 'matcher', banks: BankSet): Judge[] {
  switch (mode) {
    case 'matcher':
      return [createMatcherJudge(banks)];
  }
}
