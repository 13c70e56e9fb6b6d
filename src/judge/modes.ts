import type { JudgeMode } from '../domain/types.js';

/** The names the matcher and the LLM judge store their verdicts under; `--judge both` sets one against the other. */
export const MATCHER_JUDGE = 'matcher';
export const LLM_JUDGE = 'llm';

/** The judge whose verdict counts for a mode; a reviewer's decision overrides it in any mode. */
export function judgeOfRecord(mode: JudgeMode): string {
  return mode === MATCHER_JUDGE || mode === 'cascade' ? mode : LLM_JUDGE;
}
