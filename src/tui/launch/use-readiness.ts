import { useCallback, useEffect, useRef, useState } from 'react';
import { loadBanks } from '../../banks/load-banks.js';
import type { TargetRegistry } from '../../config/load-targets.js';
import type { Target, TargetCheck } from '../../domain/types.js';
import { checkQuestion, checkTargets } from '../../runner/check-targets.js';

/** The launch screen's preflight: `govbench check` on the chosen targets, shown as each answers. */
export interface Readiness {
  /** The targets of the last check, in registry order; empty before the first. */
  asked: readonly { id: string; name: string }[];
  /** Statuses known so far, by target id. */
  checks: ReadonlyMap<string, TargetCheck>;
  running: boolean;
  /** Why the check could not run at all. */
  problem: string | null;
}

export interface ReadinessRequest {
  targets: readonly Target[];
  registry: TargetRegistry;
  /** The bank files the run would load: the check asks their first question, and a demo fleet answers from them. */
  bankFiles: readonly string[];
}

const NONE: Readiness = { asked: [], checks: new Map(), running: false, problem: null };

/**
 * Runs a check in the background: a new one is refused while one runs, and results that arrive
 * after the screen is gone are dropped.
 */
export function useReadiness(env?: NodeJS.ProcessEnv): { readiness: Readiness; check(request: ReadinessRequest): void } {
  const [readiness, setReadiness] = useState<Readiness>(NONE);
  const mounted = useRef(true);
  const running = useRef(false);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const check = useCallback(
    ({ targets, registry, bankFiles }: ReadinessRequest) => {
      if (running.current || targets.length === 0) return;
      running.current = true;
      const update = (f: (r: Readiness) => Readiness): void => {
        if (mounted.current) setReadiness(f);
      };
      update(() => ({ asked: targets.map((t) => ({ id: t.id, name: t.name })), checks: new Map(), running: true, problem: null }));
      void (async () => {
        try {
          const banks = bankFiles.length > 0 ? loadBanks([...bankFiles]) : null;
          await checkTargets(targets, {
            question: checkQuestion(banks),
            registry,
            banks,
            ...(env && { env }),
            onCheck: (c) => update((r) => ({ ...r, checks: new Map(r.checks).set(c.id, c) })),
          });
          update((r) => ({ ...r, running: false }));
        } catch (error) {
          update((r) => ({ ...r, running: false, problem: `the check failed: ${error instanceof Error ? error.message : String(error)}` }));
        } finally {
          running.current = false;
        }
      })();
    },
    [env],
  );
  return { readiness, check };
}
