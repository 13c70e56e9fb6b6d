/**
 * The `cascade` judge: the matcher's verdict where it is sure, the LLM judge's where it abstains, so an
 * LLM is paid only for the answers the matcher cannot tell. Where the LLM fails, the matcher's abstention
 * stands and the case waits for a reviewer — never a guessed verdict.
 */
import type { Judge, JudgeInput, Verdict } from '../domain/types.js';

const CASCADE_JUDGE_NAME = 'cascade';

export interface CascadeJudge extends Judge {
  /** How many answers went on to the LLM judge so far. */
  readonly escalated: number;
}

export function createCascadeJudge(matcher: Judge, llm: Judge): CascadeJudge {
  let escalated = 0;
  return {
    name: CASCADE_JUDGE_NAME,
    version: `${matcher.version}+${llm.version}`,
    get escalated() {
      return escalated;
    },
    async judge(input: JudgeInput): Promise<Verdict> {
      const first = await matcher.judge(input);
      if (first.status !== 'judged' || first.uncertain === undefined) return { ...first, judge: CASCADE_JUDGE_NAME };
      escalated++;
      const second = await llm.judge(input);
      if (second.status === 'judged') {
        return { ...second, judge: CASCADE_JUDGE_NAME, rationale: `llm, as the matcher was unsure (${first.uncertain}): ${second.rationale}` };
      }
      return { ...first, judge: CASCADE_JUDGE_NAME, rationale: `${first.rationale}; the LLM judge failed: ${second.reason}` };
    },
    async close() {
      await Promise.all([matcher.close?.(), llm.close?.()]);
    },
  };
}
