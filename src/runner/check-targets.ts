import pLimit from 'p-limit';
import { createAdapter } from '../adapters/index.js';
import { AdapterError } from '../adapters/utils/adapter-error.js';
import type { ChromiumOptions } from '../adapters/utils/chromium.js';
import type { EvidenceOptions } from '../adapters/utils/evidence.js';
import type { TargetRegistry } from '../config/load-targets.js';
import { startFleetFor } from '../demo/start-fleet.js';
import type { AdapterReply, BankSet, CheckStatus, ErrorKind, Target, TargetCheck } from '../domain/types.js';
import { BLOCKED_REPLY_ERRORS, blockedReplyKind } from '../text/blocked-reply.js';
import { redactBug } from './ask-case.js';
import { messagesOf } from './plan.js';

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
  /** Told of each target's status as soon as it is known, for a screen that shows them as they come. */
  onCheck?: (check: TargetCheck) => void;
  /** Where browser targets save a screenshot of the page after the reply (failures save theirs anyway). */
  evidence?: EvidenceOptions;
}

/** Asked when no bank is there to take a question from: neutral, and about no particular matter. */
const FALLBACK_QUESTION = '您好，请问可以咨询政务服务问题吗？';

/** What a check asks: the first question of the banks a run would load, so it asks what a run asks. */
export function checkQuestion(banks: BankSet | null): string {
  return banks?.questions[0] ? messagesOf(banks.questions[0], 0)[0]! : FALLBACK_QUESTION;
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
    return await Promise.all(
      fleet.targets.map((t) =>
        limit(async () => {
          const check = await checkTarget(t, opts);
          opts.onCheck?.(check);
          return check;
        }),
      ),
    );
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

/** What stands between a run and the bot, as a check's detail says it. */
const WALLS: Partial<Record<ErrorKind, string>> = {
  captcha: 'captcha',
  login: 'login wall',
  handoff: 'hand-off to a human agent',
  expired: 'expired session',
};

/** The status one question's outcome gives a target. */
export function statusOf(outcome: AdapterReply | AdapterError): Found {
  if (!(outcome instanceof AdapterError)) {
    if (outcome.text.trim() === '') return { status: 'no-reply', firstReplyMs: outcome.firstMs, reply: '', detail: 'the reply was empty' };
    const wall = blockedReplyKind(outcome.text);
    if (wall) return { status: 'blocked', firstReplyMs: outcome.firstMs, reply: outcome.text, detail: `${WALLS[wall]}: ${BLOCKED_REPLY_ERRORS[wall]}` };
    return { status: 'ready', firstReplyMs: outcome.firstMs, reply: outcome.text, detail: null };
  }
  const message = outcome.message.replace(/^\[govbench\] \[adapter\] /, '');
  const failed = (status: CheckStatus, detail = message): Found => ({ status, firstReplyMs: null, reply: null, detail });
  const http = outcome.kind === 'http-status' ? outcome.details.httpStatus : undefined;
  const unreachable = outcome.kind === 'timeout' || outcome.kind === 'connect' || outcome.kind === 'page-load';
  if (unreachable || (http !== undefined && http >= 500)) return failed('unreachable');
  if (outcome.kind === 'blocked') return failed('blocked');
  const named = WALLS[outcome.kind];
  if (named) return failed('blocked', `${named}: ${message}`);
  const wall = http === undefined ? undefined : BLOCKING_STATUSES[http];
  if (wall) return failed('blocked', `${wall}: ${message}`);
  return failed('no-reply');
}
