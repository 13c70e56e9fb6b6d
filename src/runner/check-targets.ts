import pLimit from 'p-limit';
import { createAdapter } from '../adapters/index.js';
import { AdapterError } from '../adapters/utils/adapter-error.js';
import type { ChromiumOptions } from '../adapters/utils/chromium.js';
import type { EvidenceOptions } from '../adapters/utils/evidence.js';
import type { TargetRegistry } from '../config/load-targets.js';
import { startFleetFor } from '../demo/start-fleet.js';
import type { AdapterReply, BankSet, CheckStatus, Target, TargetCheck } from '../domain/types.js';
import { redactBug } from './ask-case.js';

/** Targets asked at once: a preflight should be quick, but not open dozens of browsers or sockets together. */
const CHECK_CONCURRENCY = 8;

/** What blocks us at each HTTP status that is a wall rather than an outage. */
const BLOCKING_STATUSES: Readonly<Record<number, string>> = {
  401: 'a login (401 Unauthorized)',
  403: 'a wall (403 Forbidden)',
  407: 'a proxy login (407 Proxy Authentication Required)',
  429: 'a rate limit (429 Too Many Requests)',
};

interface CheckTargetsOptions {
  /** The one message sent to every target. */
  question: string;
  /** The registry the targets come from: simulated targets are served by a demo fleet built from it. */
  registry: TargetRegistry;
  /** The banks a demo fleet answers from; needed only when simulated targets are checked. */
  banks: BankSet | null;
  /** For `${VAR}` in adapter configs. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Which Chromium web-widget targets use (the run config's `browser`). */
  chromium?: ChromiumOptions;
  /** Where browser targets save a screenshot of the page after the reply (failures save theirs anyway). */
  evidence?: EvidenceOptions;
}

/**
 * Asks each target one question through its normal adapter, once (a preflight reports what a target
 * does now; retrying would hide a flaky one), within its own `limits.timeoutMs`. Results come in
 * registry order. A bug of ours is thrown, never reported as a city's status.
 */
export async function checkTargets(targets: readonly Target[], opts: CheckTargetsOptions): Promise<TargetCheck[]> {
  const hasSimulated = targets.some((t) => t.adapter?.type === 'simulated');
  if (hasSimulated && !opts.banks) throw new TypeError('[govbench] [check] simulated targets need the banks their fleet answers from');
  const fleet = hasSimulated ? await startFleetFor([...targets], opts.registry, opts.banks!) : { targets: [...targets], close: async () => {} };
  try {
    const limit = pLimit(CHECK_CONCURRENCY);
    return await Promise.all(fleet.targets.map((t) => limit(() => checkTarget(t, opts))));
  } finally {
    await fleet.close();
  }
}

async function checkTarget(target: Target, opts: CheckTargetsOptions): Promise<TargetCheck> {
  const base = { id: target.id, name: target.name };
  if (!target.adapter) return { ...base, status: 'no-endpoint', firstReplyMs: null, reply: null, detail: 'no endpoint configured (fill in adapter.url and adapter.reply)' };
  const adapter = createAdapter(target.adapter, opts.env ?? process.env, { ...(opts.chromium && { chromium: opts.chromium }), ...(opts.evidence && { evidence: opts.evidence }) });
  try {
    const conversation = adapter.open();
    try {
      const reply = await conversation.send(opts.question, AbortSignal.timeout(target.limits.timeoutMs));
      return { ...base, ...statusOf(reply), ...(reply.screenshot !== undefined && { screenshot: reply.screenshot }) };
    } catch (err) {
      if (err instanceof AdapterError) return { ...base, ...statusOf(err), ...(err.details.screenshot !== undefined && { screenshot: err.details.screenshot }) };
      throw redactBug(err, adapter);
    } finally {
      await conversation.close();
    }
  } finally {
    await adapter.close();
  }
}

type Found = Omit<TargetCheck, 'id' | 'name' | 'screenshot'>;

/** The status one question's outcome gives a target. */
export function statusOf(outcome: AdapterReply | AdapterError): Found {
  if (!(outcome instanceof AdapterError)) {
    if (outcome.text.trim() === '') return { status: 'no-reply', firstReplyMs: outcome.firstMs, reply: '', detail: 'the reply was empty' };
    return { status: 'ready', firstReplyMs: outcome.firstMs, reply: outcome.text, detail: null };
  }
  const message = outcome.message.replace(/^\[govbench\] \[adapter\] /, '');
  const failed = (status: CheckStatus, detail = message): Found => ({ status, firstReplyMs: null, reply: null, detail });
  const http = outcome.kind === 'http-status' ? outcome.details.httpStatus : undefined;
  if (outcome.kind === 'timeout' || outcome.kind === 'connect' || (http !== undefined && http >= 500)) return failed('unreachable');
  if (outcome.kind === 'blocked') return failed('blocked');
  const wall = http === undefined ? undefined : BLOCKING_STATUSES[http];
  if (wall) return failed('blocked', `${wall}: ${message}`);
  return failed('no-reply');
}
