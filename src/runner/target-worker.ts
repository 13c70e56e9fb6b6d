import { setTimeout as sleep } from 'node:timers/promises';
import { caseKey, PROBE_STYLE, type Adapter, type Case, type Question, type Target } from '../domain/types.js';
import { askCase, bugTurn, isOutage, redactBug, unavailableTurn, type Asked, type Script } from './ask-case.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { messagesOf, planFor } from './plan.js';
import { citizenScript, settleConversation, type Play } from './play-scenario.js';
import { citizenKindOf, scenarioCases } from './scenario-plan.js';
import { RateGate } from './rate-gate.js';
import type { RunContext } from './run-context.js';
import { planProbes } from './probes.js';
import { settleCase } from './settle-case.js';
import { settleProbe } from './settle-probe.js';

/** What asks one target: its adapter, behind its own rate gate and circuit breaker. */
interface TargetLine {
  target: Target;
  adapter: Adapter;
  gate: RateGate;
  breaker: CircuitBreaker;
}

/**
 * One target's part of a run: `limits.concurrency` workers take its cases in plan order, each asked
 * within the run's global limit, then judged and saved. Resolves when the target has nothing more to
 * do; what fails in our code is handed to `run.fail` rather than thrown, so every target winds down.
 */
export async function runTarget(run: RunContext, target: Target): Promise<void> {
  let line: TargetLine;
  try {
    line = openLine(run, target);
  } catch (error) {
    run.fail(error);
    return;
  }
  const next = dueCases(run, target);
  // Judging and committing happen after the target's slot is released, so a slow judge never
  // idles a chatbot; a bound on them keeps a judge that falls behind from piling up work.
  const settling = new Set<Promise<void>>();
  const maxSettling = 2 * target.limits.concurrency;
  const worker = async (): Promise<void> => {
    for (let c = await take(run, next); c; c = await take(run, next)) {
      const play = playOf(run, c);
      const question = play ? undefined : run.questionsById.get(c.questionId)!;
      // A citizen answers a list of suggested questions itself: nothing is followed for it.
      const asked = await run.global(() =>
        play
          ? askOrSkip(run, line, citizenScript(play), play.scenario.opening, 0)
          : askOrSkip(run, line, messagesOf(question!, c.variant, run.added), undefined, line.target.followSuggestions ?? 0),
      );
      if (!asked) {
        run.hold.leave();
        continue;
      }
      // Our bug ends the run now: no case starts after it. This one is still judged (if it can be) and saved.
      if (asked.bug !== undefined) run.fail(asked.bug);
      const probe = c.style === PROBE_STYLE ? run.probes.get(c.questionId) : undefined;
      const settle = play
        ? Promise.resolve().then(() => settleConversation(run, c, play, asked))
        : probe
          ? settleProbe(run, c, question!, probe, asked)
          : settleCase(run, c, question!, asked);
      const settled: Promise<void> = settle
        .catch((error: unknown) => run.fail(error))
        .finally(() => {
          settling.delete(settled);
          run.hold.leave();
        });
      settling.add(settled);
      while (settling.size > maxSettling) await Promise.race(settling);
    }
  };
  try {
    await Promise.all(Array.from({ length: target.limits.concurrency }, () => worker().catch((error: unknown) => run.fail(error))));
    await Promise.all(settling);
  } finally {
    line.breaker.close();
    await line.adapter.close().catch((error: unknown) => run.fail(error));
  }
}

function openLine(run: RunContext, target: Target): TargetLine {
  const adapter = run.createAdapter(target);
  const gate = new RateGate({ ...(target.limits.perMinute !== undefined && { perMinute: target.limits.perMinute }) });
  const breaker = new CircuitBreaker({
    ...run.breaker,
    // Without a health check, letting one case through after the wait is the probe.
    probe: adapter.probe ? (signal) => adapter.probe!(signal) : async () => true,
    maxPaceMs: target.limits.timeoutMs,
  });
  return { target, adapter, gate, breaker };
}

/** The target's cases still to ask, one at a time, lazily; none once the run is halted. */
function dueCases(run: RunContext, target: Target): () => Case | undefined {
  const kinds = run.citizens.map((k) => k.kind);
  const probes = planProbes(target, [...run.probes.values()], run.repeat);
  // Conversations first: each holds a slot for several turns, so they start before the single questions.
  const cases = (function* () {
    yield* scenarioCases(target, [...run.scenarios.values()], kinds, run.repeat);
    yield* planFor(target, run.questions, run.repeat, run.added);
    yield* probes;
  })();
  return () => {
    for (;;) {
      if (run.halted.aborted) return undefined;
      const r = cases.next();
      if (r.done) return undefined;
      if (!run.done.has(caseKey(r.value))) return r.value;
    }
  };
}

/** The next case, once the hold lets one start (it is then counted in flight); none at the end. */
async function take(run: RunContext, next: () => Case | undefined): Promise<Case | undefined> {
  await run.hold.enter(run.halted);
  const c = next();
  if (!c) run.hold.leave();
  return c;
}

/**
 * Asks a case, or records it unavailable without asking while the target's circuit is open.
 * Undefined: the run was halted while the case waited its turn, so it was never due.
 */
async function askOrSkip(run: RunContext, line: TargetLine, messages: Script, opening: string | undefined, followSuggestions: number): Promise<Asked | undefined> {
  const first = opening ?? (messages as readonly string[])[0]!;
  const decision = line.breaker.before();
  if (decision.send) {
    const t0 = performance.now();
    let asked: Asked;
    try {
      asked = await askCase(line.adapter, messages, line.target.limits, line.gate, run.stop, followSuggestions);
    } catch (thrown) {
      // Opening or closing the conversation threw: askCase records only what sending throws.
      const bug = redactBug(thrown, line.adapter);
      asked = { turns: [bugTurn(0, first, bug, 0)], bug };
    }
    line.breaker.after(!isOutage(asked.turns), performance.now() - t0);
    return asked;
  }
  await sleep(decision.paceMs, undefined, { signal: run.halted }).catch(() => undefined);
  if (run.halted.aborted) return undefined;
  return { turns: [unavailableTurn(first, decision.reason)] };
}

/** A scenario case's play (a fresh one per case), or undefined for a question. */
function playOf(run: RunContext, c: Case): Play | undefined {
  const kind = citizenKindOf(c.style);
  if (kind === null) return undefined;
  return { scenario: run.scenarios.get(c.questionId)!, citizen: run.citizens.find((k) => k.kind === kind)!, ended: null };
}
