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
  const withRoutes = model.targets.filter((t): t is TargetReport & { routes: Record<ReplyRoute, number> } => t.routes !== undefined);
  if (withRoutes.length === 0) return null;
  return withRoutes.map((t) => {
    const answered = t.routes.direct + t.routes.followed + t.routes.left;
    const share = (n: number): number => (answered === 0 ? 0 : n / answered);
    return { name: t.name, answered, shares: { direct: share(t.routes.direct), followed: share(t.routes.followed), left: share(t.routes.left) } };
  });
}
