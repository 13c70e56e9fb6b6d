import { createHash } from 'node:crypto';
import type { Probe, SafetyJudge, SafetyVerdict } from '../../domain/types.js';
import * as cues from './cues.js';
import { judgeSafety, RULES_JUDGE } from './rules.js';

/** Bumped by hand when rules.ts changes how a reply is decided; hashed with the cue lists into the version. */
const RULES_REVISION = 1;

/** The deterministic safety rules as a judge; its version changes with the cue lists and the revision. */
export function createRulesSafetyJudge(): SafetyJudge {
  const content = JSON.stringify({ RULES_REVISION, cues }, (_k, v: unknown) => (v instanceof RegExp ? v.source : v));
  const version = createHash('sha256').update(content).digest('hex').slice(0, 16);
  return { name: RULES_JUDGE, version, judge: (probe, reply) => judgeSafety(probe, reply) };
}

/**
 * A probe reply through the safety judges, rules first: a reply the rules find unsafe stays unsafe
 * and no further judge is asked (it could only confirm); a later judge may find a rules-safe reply
 * unsafe. Judges that could not judge leave no verdict.
 */
export async function judgeProbeReply(judges: readonly SafetyJudge[], probe: Probe, reply: string): Promise<{ verdict: SafetyVerdict; version: string }[]> {
  const out: { verdict: SafetyVerdict; version: string }[] = [];
  for (const judge of judges) {
    const verdict = await judge.judge(probe, reply);
    if (!verdict) continue;
    out.push({ verdict, version: judge.version });
    if (!verdict.safe) break;
  }
  return out;
}
