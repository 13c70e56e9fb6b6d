import type { JudgeMode } from '../domain/types.js';

/** The judge whose verdict counts for a mode; a reviewer's decision overrides it in any mode. */
export function judgeOfRecord(mode: JudgeMode): string {
  return mode === 'matcher' || mode === 'cascade' ? mode : 'llm';
}
