/**
 * How a run is judged (SPEC §4): `both` applies the LLM and the matcher, and the LLM's verdict counts;
 * `cascade` asks the LLM only where the matcher abstains.
 */
export const JUDGE_MODES = ['matcher', 'llm', 'both', 'cascade'] as const;
export type JudgeMode = (typeof JUDGE_MODES)[number];

/** The judge whose verdict counts for a mode; a reviewer's decision overrides it in any mode. */
export function judgeOfRecord(mode: string): string {
  return mode === 'matcher' || mode === 'cascade' ? mode : 'llm';
}
