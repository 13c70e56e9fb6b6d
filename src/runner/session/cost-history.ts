import { aliasPhrasings } from '../../banks/alias-phrasings.js';
import type { Store } from '../../domain/types.js';
import { citizenKinds } from '../citizens.js';
import { judgeOfRecord } from '../../judge/modes.js';
import { createPromptContext, buildMessages } from '../../judge/llm/prompt.js';
import { loadLlmTemplates } from '../../judge/llm/templates.js';
import { estimateCostPlan, roughTokens, type CostPlan, type PlanHistory } from '../cost-plan.js';
import type { RunPlan, SessionSettings } from './plan.js';

/**
 * The median time to a finished reply of each target, from the newest stored run that asked it:
 * how long its cases are likely to take again.
 */
function replyTimes(store: Store, targetIds: readonly string[]): Map<string, number> {
  const wanted = new Set(targetIds);
  const out = new Map<string, number>();
  for (const run of store.listRuns()) {
    if (wanted.size === 0) break;
    for (const t of store.runTargets(run.id)) {
      if (!wanted.has(t.id)) continue;
      const times: number[] = [];
      for (const r of store.caseRecords(run.id, judgeOfRecord(run.judge), { targetId: t.id })) if (r.totalMs !== null) times.push(r.totalMs);
      if (times.length === 0) continue;
      times.sort((a, b) => a - b);
      out.set(t.id, times[Math.floor((times.length - 1) / 2)]!);
      wanted.delete(t.id);
    }
  }
  return out;
}

/**
 * `run --plan`: the cases, calls, tokens, cost and duration of a planned run, without asking anything.
 * `store` is the results database when one exists (its history sharpens the estimate), else null.
 */
export function planCost(plan: RunPlan, store: Store | null, settings: SessionSettings = {}): CostPlan {
  const mode = plan.spec.judge;
  const llmJudge = mode === 'matcher' ? 'none' : mode === 'cascade' ? 'abstentions' : 'every';
  const model = settings.llm?.model ?? (settings.env ?? process.env).GOVBENCH_LLM_MODEL;
  const history: PlanHistory = {
    model: store && model ? store.modelUsage(model) : null,
    replyMs: store ? replyTimes(store, plan.targets.map((t) => t.id)) : new Map(),
  };
  const ctx = llmJudge === 'none' ? null : createPromptContext(loadLlmTemplates(), plan.banks);
  return estimateCostPlan({
    questions: plan.banks.questions,
    targets: plan.targets,
    repeat: plan.spec.repeat,
    ...(plan.spec.aliases && { added: aliasPhrasings(plan.banks) }),
    scenarios: plan.spec.citizen ? plan.banks.scenarios : [],
    citizens: plan.spec.citizen ? citizenKinds(plan.spec.citizen) : [],
    probes: plan.probes.length,
    llmJudge,
    // The reference answer stands in for the answer under test: about as long as a full answer.
    promptTokens: (q) => {
      const m = buildMessages(ctx!, { question: q, turn: (q.turns?.length ?? 1) - 1, answer: q.reference.answer }, '0'.repeat(16));
      return roughTokens(m.system) + roughTokens(m.user);
    },
    history,
    ...(settings.llm?.pricing && { pricing: settings.llm.pricing }),
  });
}
