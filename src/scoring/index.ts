/** Scoring (SPEC §5): pure functions from finished cases to the report model. */
export * from './config.js';
export * from './model.js';
export { scoreRun, scoreRunAsync, type ScoreRunInput } from './score-run.js';
export { ScoreAccumulator, type ScoreNames, type ScoreTarget } from './accumulator.js';
export { rankWithTies, type Rankable, type RankResult } from './rank.js';
export { quantileSorted } from './stats.js';
export { compareRuns, DEFAULT_ALPHA } from './compare.js';
export * from './compare-types.js';
export { mcnemarExact, pairedBootstrapDelta, type DeltaInterval } from './compare-stats.js';
