import { locateChromium, type ChromiumOptions } from '../../adapters/utils/chromium.js';
import { aliasPhrasings } from '../../banks/alias-phrasings.js';
import { loadBanks } from '../../banks/load-banks.js';
import { loadProbes } from '../../banks/load-probes.js';
import { loadTargets, selectTargets, type TargetRegistry } from '../../config/load-targets.js';
import type { RunConfig } from '../../config/run-config.js';
import type { BankSet, Probe, Store, Target } from '../../domain/types.js';
import { UserError } from '../../util/errors.js';
import type { BudgetCaps } from '../budget.js';
import { citizenKinds } from '../citizens.js';
import { countPlan } from '../plan.js';
import { countScenarioCases } from '../scenario-plan.js';
import { resumeSpec, type RunSpec } from './spec.js';

/** What this process brings to a run besides its spec; not recorded, so a resume may bring other values. */
export interface SessionSettings {
  /** For `${VAR}` in targets and the LLM judge's endpoint. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** The LLM judge's endpoint (the run config's `llm`). */
  llm?: RunConfig['llm'];
  /** Which Chromium web-widget targets use (the run config's `browser`). */
  browser?: ChromiumOptions;
  /** Cases in flight across all targets (the run config's `concurrency`). */
  concurrency?: number;
  /** Stop the run, resumably, once its model calls reach these caps (`--max-calls`, `--max-cost`). */
  budget?: BudgetCaps;
}

/** A run's inputs, loaded and checked. */
export interface RunPlan {
  spec: RunSpec;
  /** The run this plan continues; null for a new run. */
  resume: string | null;
  banks: BankSet;
  /** Red-team probes asked after the questions; empty without `--probes`. */
  probes: Probe[];
  registry: TargetRegistry;
  /** The chosen targets as the registry has them (simulated ones are pointed at a fleet when the session opens). */
  targets: Target[];
  perTarget: number;
  /** Cases over all targets. */
  planned: number;
  /** The browser that web-widget targets will use; null when there are none. */
  browser: string | null;
}

/**
 * Loads and checks everything a run needs — banks, targets and their endpoints, a browser for widget
 * targets — before anything is stored: bad input is a UserError that writes nothing.
 */
export function planRun(spec: RunSpec, settings: SessionSettings = {}, resume: string | null = null): RunPlan {
  const banks = loadBanks(spec.banks);
  const probes = spec.probes ? loadProbes(spec.probes).probes : [];
  const clash = probes.find((p) => banks.questions.some((q) => q.id === p.id));
  if (clash) throw new UserError(`${clash.pos.file}:${clash.pos.line}: probe id "${clash.id}" is also a question id; expected ids unique across banks and probes`);
  const registry = loadTargets(spec.targets, { env: settings.env ?? process.env });
  const targets = selectTargets(registry, spec.target.length > 0 ? spec.target : undefined);
  if (targets.length === 0) throw new UserError(`${registry.file}: no targets selected`);
  const unconfigured = targets.filter((t) => !t.adapter);
  if (unconfigured.length > 0) {
    throw new UserError(
      `${registry.file}: no endpoint configured for ${unconfigured.map((t) => t.id).join(', ')}`,
      'fill in adapter.url and adapter.reply, or leave these targets out',
    );
  }
  // Without a browser every widget case would fail alike: stop before asking, saying what to install.
  const browser = targets.some((t) => t.adapter?.type === 'web-widget') ? locateChromium(settings.browser).label : null;
  const kinds = spec.citizen ? citizenKinds(spec.citizen) : [];
  const perTarget =
    countPlan(banks.questions, spec.repeat, spec.aliases ? aliasPhrasings(banks) : undefined) +
    countScenarioCases(banks.scenarios, kinds, spec.repeat) +
    probes.length * spec.repeat;
  return { spec, resume, banks, probes, registry, targets, perTarget, planned: perTarget * targets.length, browser };
}

/** The plan of a stored run to continue, from what it recorded. */
export function planResume(store: Store, runId: string, settings: SessionSettings = {}): RunPlan {
  const run = store.getRun(runId);
  return planRun(resumeSpec(run), settings, run.id);
}
