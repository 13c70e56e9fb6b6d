import { existsSync } from 'node:fs';
import type { CostPlan } from '../../runner/cost-plan.js';
import { planCost } from '../../runner/session/cost-history.js';
import type { RunPlan, SessionSettings } from '../../runner/session/plan.js';
import { openStore } from '../../store/index.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  if (seconds < 5400) return `${Math.ceil(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** `run --plan` as text: what the run would ask and spend, and what each figure rests on. */
export function renderCostPlan(p: CostPlan): string {
  const lines = [
    `cases: ${int(p.cases)} (${int(p.conversations)} conversations), ${int(p.messages)} messages to the targets${p.conversations > 0 ? ' at most' : ''}`,
    `judge calls: ${p.judgeCallsBound === 'at most' && p.judgeCalls > 0 ? 'at most ' : ''}${int(p.judgeCalls)}${p.judgeCalls > 0 ? ' (answers already in the judge cache are free)' : ' (the matcher judges offline)'}`,
    `simulator calls: ${p.simulatorCalls > 0 ? `at most ${int(p.simulatorCalls)}` : '0'}`,
  ];
  if (p.tokens) {
    const basis = p.tokens.basis === 'history' ? 'from the model’s earlier calls' : 'estimated from the prompts built from the banks';
    lines.push(`judge tokens: ${int(p.tokens.prompt)} prompt + ${int(p.tokens.completion)} completion (${basis})`);
  }
  if (p.cost) lines.push(`judge cost: ≈ ${p.cost.value.toFixed(2)}${p.cost.currency ? ` ${p.cost.currency}` : ''}`);
  else if (p.tokens) lines.push('judge cost: unknown (set llm.pricing in the --config file)');
  lines.push(`duration: ≈ ${duration(p.seconds)} (targets run side by side; the slowest sets it)`, '');
  const width = Math.max(6, ...p.targets.map((t) => t.id.length));
  lines.push(`${'target'.padEnd(width)}  ${'messages'.padStart(8)}  conc  ${'per min'.padStart(7)}  ${'reply'.padStart(8)}  ${'time'.padStart(8)}`);
  for (const t of p.targets) {
    const reply = `${(t.replyMs / 1000).toFixed(1)} s${t.replyBasis === 'assumed' ? '*' : ''}`;
    lines.push(
      `${t.id.padEnd(width)}  ${int(t.messages).padStart(8)}  ${String(t.concurrency).padStart(4)}  ${(t.perMinute === null ? '—' : String(t.perMinute)).padStart(7)}  ${reply.padStart(8)}  ${duration(t.seconds).padStart(8)}`,
    );
  }
  if (p.targets.some((t) => t.replyBasis === 'assumed')) lines.push('* no earlier run of this target in the database: 3 s a reply assumed');
  return `${lines.join('\n')}\n`;
}

/** Plans the run's cost from the banks and, when the database exists, its history; writes nothing. */
export function costPlanOf(plan: RunPlan, dbPath: string, settings: SessionSettings): CostPlan {
  const store = existsSync(dbPath) ? openStore(dbPath, { existing: true }) : null;
  try {
    return planCost(plan, store, settings);
  } finally {
    store?.close();
  }
}
