import type { JudgeUsageRow } from '../domain/types.js';

/** Prices per million tokens, as the run config's `llm.pricing` gives them. */
export interface Pricing {
  inputPerMillion: number;
  outputPerMillion: number;
  currency?: string;
}

/** Caps on what a run may spend on model calls (judges, and simulated citizens that record usage). */
export interface BudgetCaps {
  /** Paid calls at most; calls answered from the cache are free. */
  maxCalls?: number;
  /** Cost at most, in the pricing's currency. */
  maxCost?: number;
}

export function costOf(promptTokens: number, completionTokens: number, pricing: Pricing): number {
  return (promptTokens * pricing.inputPerMillion + completionTokens * pricing.outputPerMillion) / 1e6;
}

/**
 * Which cap a run's usage so far has reached, as a sentence; null while under every cap. The usage is
 * the run's total over every session, so a resumed run keeps counting from where it stopped.
 */
export function budgetReached(usage: readonly JudgeUsageRow[], caps: BudgetCaps, pricing?: Pricing): string | null {
  const calls = usage.reduce((n, u) => n + u.calls, 0);
  if (caps.maxCalls !== undefined && calls >= caps.maxCalls) return `--max-calls ${caps.maxCalls} reached (${calls} paid model calls)`;
  if (caps.maxCost !== undefined && pricing) {
    const cost = usage.reduce((n, u) => n + costOf(u.promptTokens, u.completionTokens, pricing), 0);
    if (cost >= caps.maxCost) return `--max-cost ${caps.maxCost} reached (${cost.toFixed(4)}${pricing.currency ? ` ${pricing.currency}` : ''} spent)`;
  }
  return null;
}
