import type { ReplyRoute } from '../domain/types.js';
import type { ReportModel, TargetReport } from '../scoring/model.js';

/** A target's answered cases and the share of them that took each route (0–1). */
export interface RouteShares {
  name: string;
  answered: number;
  shares: Record<ReplyRoute, number>;
}

export const ROUTE_LABELS: Readonly<Record<ReplyRoute, string>> = {
  direct: 'Answered directly',
  followed: 'After a suggestion',
  left: 'Left at suggestions',
};

export const ROUTES_NOTE =
  'Of the cases that got a reply: answered directly, answered after following a suggested question (the target’s followSuggestions), or left at a list of suggested questions (judged no answer).';

/** Per target, how its answered cases reached their answer; null when the run has no route but direct. */
export function routeShares(model: ReportModel): RouteShares[] | null {
  if (!model.targets.some((t) => t.routes)) return null;
  return model.targets.map((t) => ({ name: t.name, ...sharesOf(t) }));
}

/** A target's answered cases and the share of each route among them (0 of none). */
export function sharesOf(t: TargetReport): Omit<RouteShares, 'name'> {
  const r = t.routes ?? { direct: 0, followed: 0, left: 0 };
  const answered = r.direct + r.followed + r.left;
  const share = (n: number): number => (answered === 0 ? 0 : n / answered);
  return { answered, shares: { direct: share(r.direct), followed: share(r.followed), left: share(r.left) } };
}
