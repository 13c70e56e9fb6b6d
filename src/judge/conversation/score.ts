/**
 * The scores of one played conversation (issue 16 §2–3): whether the bot's turns together reached the
 * scenario's goal, how soon, whether it asked again for what it had been told, whether it contradicted
 * itself — and whether the simulator broke the conversation, in which case none of that counts.
 */
import type { BrokenConversation, ConversationScore, Exchange, Matter, Scenario } from '../../domain/types.js';
import { normalize } from '../../text/normalize.js';
import { factsAskedIn, factsGiven } from './fact-asks.js';
import { loadConversationPhrases, type ConversationPhrases } from './phrases.js';
import { scenarioChecker, type ReplyCheck } from './reply-check.js';

/** How a conversation ended: the citizen's last move, or null when it was cut off. */
export type ConversationEnd = 'goal' | 'max-turns' | 'gave-up' | null;

export interface ConversationInput {
  scenario: Scenario;
  exchanges: readonly Exchange[];
  ended: ConversationEnd;
  /** The loaded matters: the scenario's supplies its names and superseded rules to the checks. */
  matters: readonly Matter[];
}

/** Share of the goal's character pairs a citizen turn may hold before it counts as saying the goal. */
const LEAK_SHARE = 0.8;
/** Shorter goals are not looked for: two or three characters occur in ordinary questions. */
const LEAK_MIN_LENGTH = 4;
/** A citizen that gives up before this many turns did not try. */
const MIN_TURNS_BEFORE_GIVING_UP = 2;

/** Scores one conversation; pure and deterministic. */
export function scoreConversation(input: ConversationInput): ConversationScore {
  const { scenario, exchanges } = input;
  const ref = scenario.reference;
  const phrases = loadConversationPhrases();
  const checker = scenarioChecker(scenario, input.matters);
  const checks = exchanges.map((e) => checker.check(e.reply));

  const hit = new Set<string>();
  const errors = new Set<string>();
  let firstReached: number | null = null;
  checks.forEach((c, i) => {
    for (const k of c.keyPointsHit) hit.add(k);
    for (const e of [...c.factErrors, ...c.contradictions]) errors.add(e);
    if (firstReached === null && hit.size >= ref.minKeyPoints && errors.size === 0) firstReached = i + 1;
  });
  const goalReached = hit.size >= ref.minKeyPoints && errors.size === 0;
  return {
    goalReached,
    keyPointsHit: ref.keyPoints.map((k) => k.id).filter((id) => hit.has(id)),
    factErrors: [...errors],
    turnsToGoal: goalReached ? firstReached : null,
    reasked: reaskedFacts(scenario, exchanges, phrases),
    contradictions: selfContradictions(checks),
    broken: brokenBy(input, hit.size >= ref.minKeyPoints, phrases),
  };
}

/**
 * Fact keys the bot asked for in a reply after the citizen had given them: by saying the value, or by
 * answering (not with 不清楚) a reply that asked for that one key alone — a citizen may put it in other words.
 */
function reaskedFacts(scenario: Scenario, exchanges: readonly Exchange[], phrases: ConversationPhrases): string[] {
  const keys = Object.keys(scenario.facts);
  const given = new Set<string>();
  const out: string[] = [];
  let askedBefore: string[] = [];
  for (const e of exchanges) {
    for (const k of factsGiven([e.user], scenario.facts)) given.add(k);
    const user = normalize(e.user);
    if (askedBefore.length === 1 && user.length > 0 && !phrases.ignorance.some((w) => user.includes(w))) given.add(askedBefore[0]!);
    const asked = factsAskedIn(e.reply, keys, phrases).keys;
    for (const k of asked) if (given.has(k) && !out.includes(k)) out.push(k);
    askedBefore = asked;
  }
  return out;
}

/** Pairs of bot turns stating values for the same fact with none in common: `days: 20日 (turn 1) ≠ 15日 (turn 3)`. */
function selfContradictions(checks: readonly ReplyCheck[]): string[] {
  const out: string[] = [];
  const factIds = [...new Set(checks.flatMap((c) => [...c.stated.keys()]))];
  for (const id of factIds) {
    for (let i = 0; i < checks.length; i++) {
      const a = checks[i]!.stated.get(id);
      if (!a) continue;
      for (let j = i + 1; j < checks.length; j++) {
        const b = checks[j]!.stated.get(id);
        if (!b || a.values.some((v) => b.values.includes(v))) continue;
        out.push(`${id}: ${a.values.join('/')}${a.unit} (turn ${i + 1}) ≠ ${b.values.join('/')}${b.unit} (turn ${j + 1})`);
      }
    }
  }
  return out;
}

/** The first way the simulator broke the conversation, or null. */
function brokenBy(input: ConversationInput, covered: boolean, phrases: ConversationPhrases): BrokenConversation | null {
  const turns = input.exchanges.map((e) => normalize(e.user));
  if (turns.some((t) => t.length === 0)) return 'empty-turn';
  if (turns.some((t) => phrases.assistantVoice.some((v) => t.includes(v)))) return 'persona-dropped';
  const goal = normalize(input.scenario.goal);
  if (turns.some((t) => saysGoal(t, goal))) return 'goal-leaked';
  if (input.ended === 'goal' && !covered) return 'stopped-early';
  if (input.ended === 'gave-up' && input.exchanges.length < MIN_TURNS_BEFORE_GIVING_UP) return 'stopped-early';
  return null;
}

/** True when a (normalised) turn holds the goal verbatim or nearly: most of its character pairs, in any order. */
export function saysGoal(turn: string, goal: string): boolean {
  if (goal.length < LEAK_MIN_LENGTH) return false;
  if (turn.includes(goal)) return true;
  const pairs = new Set<string>();
  for (let i = 0; i + 2 <= goal.length; i++) pairs.add(goal.slice(i, i + 2));
  let held = 0;
  for (const p of pairs) if (turn.includes(p)) held++;
  return held / pairs.size >= LEAK_SHARE;
}
