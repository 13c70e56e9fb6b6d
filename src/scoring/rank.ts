import type { Interval } from './model.js';

interface Rankable {
  id: string;
  /** The point estimate ranked on; null: not ranked. */
  point: number | null;
  /** Its interval; null: the point itself. */
  interval: Interval | null;
}

interface RankResult {
  rank: number | null;
  tied: boolean;
}

/**
 * Ranks with ties from intervals: `rank = 1 + the number of items whose interval lies entirely above
 * this item's interval` (other's low > this one's high; touching intervals overlap). This is the
 * "how many are clearly better" rank of arena-style leaderboards: well defined although overlap is
 * not transitive, and independent of input order. An item is `tied` when another has the same rank.
 * Items without a point are not ranked.
 */
export function rankWithTies(items: readonly Rankable[]): Map<string, RankResult> {
  const ranked = items.filter((i) => i.point !== null).map((i) => ({ id: i.id, iv: i.interval ?? [i.point!, i.point!] }));
  const rankOf = new Map<string, number>();
  for (const a of ranked) {
    let above = 0;
    for (const b of ranked) if (b !== a && b.iv[0] > a.iv[1]) above++;
    rankOf.set(a.id, 1 + above);
  }
  const perRank = new Map<number, number>();
  for (const r of rankOf.values()) perRank.set(r, (perRank.get(r) ?? 0) + 1);
  const out = new Map<string, RankResult>();
  for (const i of items) {
    const rank = rankOf.get(i.id) ?? null;
    out.set(i.id, { rank, tied: rank !== null && (perRank.get(rank) ?? 0) > 1 });
  }
  return out;
}
