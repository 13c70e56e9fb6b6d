/**
 * What `govbench validate` warns about in banks that load: a source marked repealed (its facts may no
 * longer hold), and a bank no person has reviewed against its sources for a year or ever.
 */
import type { BankSet } from '../domain/types.js';
import { formatPos } from '../util/errors.js';

/** How long a review holds before the bank is due another. */
const REVIEW_DAYS = 365;

export function bankWarnings(banks: BankSet, today: Date = new Date()): string[] {
  const out: string[] = [];
  for (const m of banks.matters) {
    const at = m.pos ? `${formatPos(m.pos)}: ` : '';
    m.sources.forEach((s, i) => {
      if (s.repealed === undefined) return;
      const past = startOf(s.repealed) <= today.getTime();
      out.push(
        `${at}matter ${m.id}: sources[${i}] ${s.title} ${past ? 'was repealed' : 'is to be repealed'} on ${s.repealed}; ` +
          'check the facts drawn from it, cite what replaced it, and list the old rule under superseded:',
      );
    });
    if (m.reviewed === undefined) {
      out.push(`${at}matter ${m.id}: no reviewed: date; check the bank against its sources and record the day`);
    } else {
      const days = Math.floor((today.getTime() - startOf(m.reviewed)) / 86_400_000);
      if (days > REVIEW_DAYS) out.push(`${at}matter ${m.id}: last reviewed ${m.reviewed}, ${days} days ago; check it against its sources again`);
    }
  }
  return out;
}

/** The first moment of a YYYY, YYYY-MM or YYYY-MM-DD date, UTC. */
function startOf(date: string): number {
  const [y, mo = '01', d = '01'] = date.split('-');
  return Date.UTC(Number(y), Number(mo) - 1, Number(d));
}
