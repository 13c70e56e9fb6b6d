import { isOurFailure, type CaseRecord } from '../../domain/types.js';
import { UserError } from '../../util/errors.js';
import type { CaseOutcome, CompareOptions, CompareTarget, ComparedUnit, PairChange } from './comparison.js';

/** A unit without its counts: which baseline target pairs with which candidate target. */
export type UnitSpec = Pick<ComparedUnit, 'id' | 'baselineTarget' | 'baselineName' | 'candidateTarget' | 'candidateName' | 'pairedBy' | 'role'>;

/** The outcome of one case (see `comparison.ts` for the definitions). */
export function outcomeOf(r: Pick<CaseRecord, 'available' | 'errorKind' | 'verdict'>): CaseOutcome {
  // Our own failure tells nothing of the city either way: its pair is excluded, as the scores leave it out.
  if (isOurFailure(r.errorKind)) return 'unjudged';
  if (!r.available) return 'unavailable';
  const v = r.verdict;
  return v === null || v.status !== 'judged' ? 'unjudged' : v.verdict;
}

export function changeOf(baseline: CaseOutcome, candidate: CaseOutcome): PairChange {
  if (baseline === 'unjudged' || candidate === 'unjudged') return 'excluded';
  const before = baseline === 'correct';
  const after = candidate === 'correct';
  return before === after ? 'unchanged' : after ? 'fixed' : 'regressed';
}

function unit(b: CompareTarget, c: CompareTarget, pairedBy: UnitSpec['pairedBy'], role: string | null): UnitSpec {
  return {
    id: b.id === c.id ? b.id : `${b.id}→${c.id}`,
    baselineTarget: b.id,
    baselineName: b.name,
    candidateTarget: c.id,
    candidateName: c.name,
    pairedBy,
    role,
  };
}

function byRole(targets: readonly CompareTarget[]): Map<string, CompareTarget[]> {
  const m = new Map<string, CompareTarget[]>();
  for (const t of targets) {
    if (!t.role) continue;
    const list = m.get(t.role);
    if (list) list.push(t);
    else m.set(t.role, [t]);
  }
  return m;
}

/**
 * Which baseline target pairs with which candidate target.
 *
 * With `options.targets`, exactly those two. Otherwise a role held by exactly one target in each run
 * pairs those two targets (a province assistant v1 in the baseline with v2 in the candidate); a role
 * held by several targets of a run says nothing about which pairs with which, so those targets, and
 * targets without a role, pair by equal id. Targets left over pair with nothing.
 */
export function resolveUnits(
  baseline: readonly CompareTarget[],
  candidate: readonly CompareTarget[],
  selected?: CompareOptions['targets'],
): UnitSpec[] {
  if (selected) {
    const b = baseline.find((t) => t.id === selected.baseline);
    const c = candidate.find((t) => t.id === selected.candidate);
    if (!b || !c) {
      const [side, id, list] = !b ? ['baseline', selected.baseline, baseline] : ['candidate', selected.candidate, candidate];
      throw new UserError(
        `[govbench] [compare] the ${side} run has no target "${id}"`,
        `its targets: ${list.map((t) => t.id).join(', ') || '(none)'}`,
      );
    }
    return [unit(b, c, 'selected', b.role && b.role === c.role ? b.role : null)];
  }
  const units: UnitSpec[] = [];
  const used = { baseline: new Set<string>(), candidate: new Set<string>() };
  const candidateRoles = byRole(candidate);
  for (const [role, list] of byRole(baseline)) {
    const other = candidateRoles.get(role);
    if (list.length !== 1 || other?.length !== 1) continue;
    const [b, c] = [list[0]!, other[0]!];
    units.push(unit(b, c, 'role', role));
    used.baseline.add(b.id);
    used.candidate.add(c.id);
  }
  for (const b of baseline) {
    if (used.baseline.has(b.id)) continue;
    const c = candidate.find((t) => t.id === b.id && !used.candidate.has(t.id));
    if (!c) continue;
    units.push(unit(b, c, 'target', null));
    used.baseline.add(b.id);
    used.candidate.add(c.id);
  }
  return units.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** The key of a pair: the unit and the case's question, variant and repeat. */
export function pairKey(unitId: string, r: Pick<CaseRecord, 'questionId' | 'variant' | 'repeat'>): string {
  return `${unitId}\u0000${r.questionId}\u0000${r.variant}\u0000${r.repeat}`;
}

const NO_STRINGS: string[] = [];

/**
 * A case reduced to what pairing and scoring need, so the baseline can wait in memory for its
 * candidate partners: the verdict keeps its label, intent and accuracy but not its rationale or
 * key-point lists.
 */
export function slim(r: CaseRecord): CaseRecord {
  const v = r.verdict;
  if (v === null) return r;
  if (v.status === 'unjudged') return { ...r, verdict: { ...v, reason: '' } };
  return {
    ...r,
    verdict: { ...v, keyPointsHit: NO_STRINGS, factErrors: NO_STRINGS, contradictions: NO_STRINGS, rationale: '' },
  };
}
