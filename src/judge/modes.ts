/** How a run is judged (SPEC §4): `both` applies the LLM and the matcher; the LLM's verdict counts. */
export const JUDGE_MODES = ['matcher', 'llm', 'both'] as const;
export type JudgeMode = (typeof JUDGE_MODES)[number];

/** The judge whose verdict counts for a mode; a reviewer's decision overrides it in any mode. */
export function judgeOfRecord(mode: string): string {
  return mode === 'matcher' ? 'matcher' : 'llm';
}
