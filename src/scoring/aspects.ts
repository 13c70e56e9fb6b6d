import { EVALUATION_ASPECTS, type EvaluationAspect, type FailureKind, type Grade, type HandScores, type RegionId } from '../domain/types.js';
import type { AspectsConfig } from './aspects-config.js';
import { gradeFor, type ScoringConfig } from './config.js';
import type { ReportModel, ReportRunMeta } from './model.js';
import { rankWithTies } from './rank.js';
import { meanOf } from './stats.js';

/**
 * The four-aspect city report (`report --aspects`): the evaluators' hand scores merged with the
 * chatbot score govbench measured, weighted into an overall score per city, graded and ranked, with
 * regions and the weakest indicator. Pure: reading the sheet and the run happens at the edges.
 */

/** A score per evaluation aspect; `null` where it is missing (never 0). */
export type AspectScores = Record<EvaluationAspect, number | null>;

export interface CityAspects {
  id: string;
  /** The sheet's city name, else the target's name. */
  name: string;
  region: RegionId;
  /** The run asked this city's chatbot. */
  inRun: boolean;
  /** govbench's technical-support (intelligent customer service) score; null when not in the run or not measured. */
  chatbot: number | null;
  /** The rest of technical support from the sheet; null without that column. */
  technicalSupportOther: number | null;
  scores: AspectScores;
  /** Σ weight · aspect; null when an aspect is missing, so an incomplete city is never ranked. */
  overall: number | null;
  grade: Grade | null;
  /** Competition rank on the overall score (1, 2, 2, 4); null when the overall is missing. */
  rank: number | null;
  tied: boolean;
  /** The city's lowest aspect score (ties: the first in the evaluation's order); null with none. */
  weakest: EvaluationAspect | null;
}

export interface RegionAspects {
  id: RegionId;
  /** Rank by mean overall (competition ranking); null when no city of the region is complete. */
  rank: number | null;
  tied: boolean;
  /** Cities of the region in the sheet. */
  cities: number;
  /** Mean overall over the region's complete cities (each city weighs the same). */
  overall: number | null;
  /** Per aspect, the mean over the region's cities that have it. */
  scores: AspectScores;
  /** The complete city with the highest overall (ties: by id). */
  best: string | null;
  bestName: string | null;
}

/** One failure kind summed over the pain-point catalogue. */
export interface PainKind {
  kind: FailureKind;
  cases: number;
  /** `cases` ÷ finished cases of the run, 0–1. */
  share: number;
  /** Cities with at least one such case. */
  targets: number;
}

export interface AspectsReport {
  run: ReportRunMeta;
  /** The score sheet, as named on the command line. */
  source: string;
  config: { aspects: AspectsConfig; grades: ScoringConfig['grades'] };
  /** Ranked cities first (by rank, then overall, then id), then incomplete ones by id. */
  cities: CityAspects[];
  /** Targets of the run without a row in the sheet: incomplete, shown with their chatbot score. */
  missingFromSheet: { id: string; name: string; region: RegionId; chatbot: number | null }[];
  /** Ranked regions first, then those without a complete city; only regions with cities in the sheet. */
  regions: RegionAspects[];
  /** Per aspect, the mean over the cities that have it. */
  means: AspectScores;
  /** The aspect with the lowest mean across cities (ties: the first in order); null with none. */
  weakest: { aspect: EvaluationAspect; mean: number } | null;
  /** Failure kinds of the pain-point catalogue, most cases first; empty when none is catalogued. */
  painKinds: PainKind[];
}

/** Name and region of a target the sheet may name but the run did not ask. */
export interface KnownCity {
  name: string;
  region: RegionId;
}

export interface AspectsInput {
  model: Pick<ReportModel, 'run' | 'config' | 'targets' | 'painPoints' | 'totals'>;
  rows: readonly HandScores[];
  /** Targets outside the run, by id (from the target registries); every row's target is in the run or here. */
  registry: ReadonlyMap<string, KnownCity>;
  config: AspectsConfig;
  source: string;
}

/** Scores compared after rounding, so floating-point noise in the weighting never splits a tie. */
const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

function lowest(scores: AspectScores): EvaluationAspect | null {
  let min: EvaluationAspect | null = null;
  for (const a of EVALUATION_ASPECTS) {
    const v = scores[a];
    if (v !== null && (min === null || round6(v) < round6(scores[min]!))) min = a;
  }
  return min;
}

function technicalSupport(chatbot: number | null, other: number | null, share: number): number | null {
  if (chatbot === null) return null;
  return other === null ? chatbot : share * chatbot + (1 - share) * other;
}

function overallOf(scores: AspectScores, weights: AspectsConfig['weights']): number | null {
  let sum = 0;
  for (const a of EVALUATION_ASPECTS) {
    const v = scores[a];
    if (v === null) return null;
    sum += weights[a] * v;
  }
  return sum;
}

function city(row: HandScores, input: AspectsInput): Omit<CityAspects, 'rank' | 'tied'> {
  const measured = input.model.targets.find((t) => t.id === row.target);
  const known = measured ?? input.registry.get(row.target)!;
  const chatbot = measured?.scores.technicalSupport ?? null;
  const scores: AspectScores = { ...row.scores, technicalSupport: technicalSupport(chatbot, row.technicalSupportOther, input.config.chatbotShare) };
  const overall = overallOf(scores, input.config.weights);
  return {
    id: row.target,
    name: row.city ?? known.name,
    region: known.region,
    inRun: measured !== undefined,
    chatbot,
    technicalSupportOther: row.technicalSupportOther,
    scores,
    overall,
    grade: overall === null ? null : gradeFor(overall, input.model.config.grades),
    weakest: lowest(scores),
  };
}

function meansOf<T extends { scores: AspectScores }>(items: readonly T[]): AspectScores {
  return Object.fromEntries(EVALUATION_ASPECTS.map((a) => [a, meanOf(items.map((i) => i.scores[a]))])) as AspectScores;
}

const byRank = <T extends { id: string; rank: number | null; overall: number | null }>(a: T, b: T): number =>
  (a.rank ?? Infinity) - (b.rank ?? Infinity) || (b.overall ?? -Infinity) - (a.overall ?? -Infinity) || a.id.localeCompare(b.id);

function regionsOf(cities: readonly CityAspects[]): RegionAspects[] {
  const groups = new Map<RegionId, CityAspects[]>();
  for (const c of cities) groups.set(c.region, [...(groups.get(c.region) ?? []), c]);
  const unranked = [...groups].map(([id, members]) => {
    const complete = members.filter((m) => m.overall !== null).sort(byRank);
    const best = complete[0] ?? null;
    return { id, cities: members.length, overall: meanOf(complete.map((m) => m.overall)), scores: meansOf(members), best: best?.id ?? null, bestName: best?.name ?? null };
  });
  const ranks = rankWithTies(unranked.map((r) => ({ id: r.id, point: r.overall === null ? null : round6(r.overall), interval: null })));
  return unranked.map((r) => ({ ...r, ...ranks.get(r.id)! })).sort(byRank);
}

function painKinds(model: AspectsInput['model']): PainKind[] {
  const kinds = new Map<FailureKind, { cases: number; targets: Set<string> }>();
  for (const p of model.painPoints) {
    const k = kinds.get(p.kind) ?? { cases: 0, targets: new Set<string>() };
    k.cases += p.cases;
    for (const t of p.targetIds) k.targets.add(t);
    kinds.set(p.kind, k);
  }
  return [...kinds]
    .map(([kind, k]) => ({ kind, cases: k.cases, share: model.totals.cases === 0 ? 0 : k.cases / model.totals.cases, targets: k.targets.size }))
    .sort((a, b) => b.cases - a.cases || b.targets - a.targets || a.kind.localeCompare(b.kind));
}

/**
 * Merges the sheet with the run: per city the four aspects (technical support from the chatbot score
 * and the sheet's `technicalSupportOther`, weighted by `chatbotShare`), the weighted overall, its grade
 * on the scoring bands and its rank; regions ranked by mean overall; the weakest aspect per city and
 * across cities. A city the run did not measure keeps its hand scores with technical support missing.
 */
export function scoreAspects(input: AspectsInput): AspectsReport {
  const partial = input.rows.map((row) => city(row, input));
  const ranks = rankWithTies(partial.map((c) => ({ id: c.id, point: c.overall === null ? null : round6(c.overall), interval: null })));
  const cities = partial.map((c) => ({ ...c, ...ranks.get(c.id)! })).sort(byRank);
  const inSheet = new Set(cities.map((c) => c.id));
  const means = meansOf(cities);
  const weakest = lowest(means);
  return {
    run: input.model.run,
    source: input.source,
    config: { aspects: input.config, grades: input.model.config.grades },
    cities,
    missingFromSheet: input.model.targets
      .filter((t) => !inSheet.has(t.id))
      .map((t) => ({ id: t.id, name: t.name, region: t.region, chatbot: t.scores.technicalSupport }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    regions: regionsOf(cities),
    means,
    weakest: weakest === null ? null : { aspect: weakest, mean: means[weakest]! },
    painKinds: painKinds(input.model),
  };
}
