import type { CaseRecord, FailureKind, RegionId } from '../domain/types.js';
import type { PainPoint } from './model.js';

/** Example cases kept per pain point: enough to drill into, bounded however large the run. */
export const PAIN_POINT_EXAMPLES = 5;

interface Cell {
  kind: FailureKind;
  matter: string;
  aspect: string;
  intent: string;
  cases: number;
  byTarget: Map<string, number>;
  regions: Partial<Record<RegionId, number>>;
  examples: string[];
}

/**
 * The pain-point catalogue as cases stream in (issue 15): failure kind × aspect, with the targets and
 * regions each cell touches, and each target's failures by kind. Memory grows with kinds × aspects ×
 * targets, not with cases.
 */
export class PainPointSums {
  private readonly cells = new Map<string, Cell>();
  /** Finished cases per intent: the denominator of a pain point's share. */
  private readonly casesByIntent = new Map<string, number>();
  private readonly byTarget = new Map<string, Partial<Record<FailureKind, number>>>();
  private readonly unclassifiedByTarget = new Map<string, number>();

  /** Adds one finished case of the headline scores (the caller leaves out ours and other styles). */
  add(record: CaseRecord, region: RegionId): void {
    this.casesByIntent.set(record.intent, (this.casesByIntent.get(record.intent) ?? 0) + 1);
    const kind = record.failure;
    if (kind === null) {
      if (isUnclassified(record)) this.unclassifiedByTarget.set(record.targetId, (this.unclassifiedByTarget.get(record.targetId) ?? 0) + 1);
      return;
    }
    let failures = this.byTarget.get(record.targetId);
    if (!failures) this.byTarget.set(record.targetId, (failures = {}));
    failures[kind] = (failures[kind] ?? 0) + 1;

    const key = `${kind}\u0000${record.intent}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { kind, matter: record.matterId, aspect: record.aspectId, intent: record.intent, cases: 0, byTarget: new Map(), regions: {}, examples: [] };
      this.cells.set(key, cell);
    }
    cell.cases += 1;
    cell.byTarget.set(record.targetId, (cell.byTarget.get(record.targetId) ?? 0) + 1);
    cell.regions[region] = (cell.regions[region] ?? 0) + 1;
    if (cell.examples.length < PAIN_POINT_EXAMPLES) cell.examples.push(exampleId(record));
  }

  /** A target's cases that were not correct, by primary kind. */
  failuresOf(targetId: string): Partial<Record<FailureKind, number>> {
    return { ...this.byTarget.get(targetId) };
  }

  /** A target's settled cases that were not correct yet have no kind: judged before kinds were stored. */
  unclassifiedOf(targetId: string): number {
    return this.unclassifiedByTarget.get(targetId) ?? 0;
  }

  /** The catalogue: the largest share of its aspect's cases first, then the most targets affected. */
  painPoints(): PainPoint[] {
    return [...this.cells.values()]
      .map((c): PainPoint => {
        const targetIds = [...c.byTarget.entries()].sort((a, b) => b[1] - a[1] || compare(a[0], b[0])).map(([id]) => id);
        return {
          kind: c.kind,
          matter: c.matter,
          aspect: c.aspect,
          cases: c.cases,
          share: c.cases / this.casesByIntent.get(c.intent)!,
          targets: targetIds.length,
          targetIds,
          regions: { ...c.regions },
          examples: [...c.examples],
        };
      })
      .sort((a, b) => b.share - a.share || b.targets - a.targets || b.cases - a.cases || compare(a.kind, b.kind) || compare(a.matter, b.matter) || compare(a.aspect, b.aspect));
  }
}

function isUnclassified(r: CaseRecord): boolean {
  const v = r.verdict;
  return r.errorKind === null && v?.status === 'judged' && v.uncertain === undefined && v.verdict !== 'correct';
}

/** A case named as `PainPoint.examples` names it. */
function exampleId(r: CaseRecord): string {
  return `${r.targetId}:${r.questionId}:${r.variant}:${r.repeat}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
