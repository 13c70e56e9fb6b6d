/**
 * The `rule` citizen (issue 16): deterministic and offline. It opens with the scenario's opening;
 * answers the bot's questions from its facts by what each question asks (one it cannot place: says it
 * does not know, and tells the facts it has not told yet); when the bot answered but
 * goal key points remain uncovered, asks for the first one it has not asked about yet, in words taken
 * from the key point; stops at the goal, at `maxTurns`, or after two replies in a row that add nothing.
 */
import type { Citizen, CitizenMove, Exchange, KeyPoint, Matter, Scenario } from '../domain/types.js';
import { factsAskedIn, factsGiven } from '../judge/conversation/fact-asks.js';
import { fill, loadConversationPhrases, type ConversationPhrases } from '../judge/conversation/phrases.js';
import { scenarioChecker, type ReplyCheck } from '../judge/conversation/reply-check.js';

/** Replies in a row that add nothing before the citizen gives up. */
const GIVE_UP_AFTER = 2;

export function createRuleCitizen(matters: readonly Matter[] = []): Citizen {
  const phrases = loadConversationPhrases();
  return {
    kind: 'rule',
    next: async (scenario, history) => ruleMove(scenario, history, matters, phrases),
  };
}

/** The rule citizen's next move; pure given the phrase file. */
export function ruleMove(scenario: Scenario, history: readonly Exchange[], matters: readonly Matter[], phrases: ConversationPhrases): CitizenMove {
  if (history.length === 0) return { say: scenario.opening };
  const ref = scenario.reference;
  const checker = scenarioChecker(scenario, matters);
  const checks = history.map((h) => checker.check(h.reply));
  const covered = new Set(checks.flatMap((c) => c.keyPointsHit));
  if (covered.size >= ref.minKeyPoints) return { stop: 'goal' };
  if (history.length >= scenario.maxTurns) return { stop: 'max-turns' };

  const last = history[history.length - 1]!;
  const asks = factsAskedIn(last.reply, Object.keys(scenario.facts), phrases);
  const missing = ref.keyPoints.filter((k) => !covered.has(k.id));
  if (asks.keys.length > 0) {
    const answers = asks.keys.map((key) => fill(phrases.citizen.answer, { key, value: scenario.facts[key]! }));
    return { say: `${answers.join(phrases.citizen.answerJoin)}。${asks.unknown.length > 0 ? phrases.citizen.dontKnow : ''}` };
  }
  const nothing = (i: number) => i >= 0 && addsNothing(checks, i, history, phrases, scenario);
  if (asks.unknown.length === 0 && nothing(history.length - 1) && nothing(history.length - 2)) return { stop: 'gave-up' };
  const ask = askFor(nextToAsk(missing, history, phrases), phrases);
  if (asks.unknown.length === 0) return { say: ask };
  // A question it cannot place: it says so, tells what it has not told yet (the question may have been
  // after one of those in words it did not recognise), and asks on, so the bot has something to answer.
  const given = factsGiven(history.map((h) => h.user), scenario.facts);
  const untold = Object.entries(scenario.facts).filter(([key]) => !given.has(key));
  const told = untold.map(([key, value]) => fill(phrases.citizen.answer, { key, value })).join(phrases.citizen.answerJoin);
  return { say: `${phrases.citizen.dontKnow}${untold.length > 0 ? fill(phrases.citizen.volunteer, { facts: told }) : ''}${ask}` };
}

/**
 * Reply `i` adds nothing: no key point that earlier replies had not given, no question to the citizen,
 * and it is a fallback (the matcher's no-answer) or a repeat of an earlier reply.
 */
function addsNothing(checks: readonly ReplyCheck[], i: number, history: readonly Exchange[], phrases: ConversationPhrases, scenario: Scenario): boolean {
  const before = new Set(checks.slice(0, i).flatMap((c) => c.keyPointsHit));
  if (checks[i]!.keyPointsHit.some((k) => !before.has(k))) return false;
  const asks = factsAskedIn(history[i]!.reply, Object.keys(scenario.facts), phrases);
  if (asks.keys.length > 0 || asks.unknown.length > 0) return false;
  const reply = history[i]!.reply.trim();
  return checks[i]!.noAnswer || history.slice(0, i).some((h) => h.reply.trim() === reply);
}

/** The first missing key point not asked about yet; when all were, the first missing one again. */
function nextToAsk(missing: readonly KeyPoint[], history: readonly Exchange[], phrases: ConversationPhrases): KeyPoint {
  return missing.find((k) => !history.some((h) => h.user.includes(askFor(k, phrases)))) ?? missing[0]!;
}

/** A figure with its unit (20个工作日内, 五年, 3个月以上): what the citizen asks about, not what it says. */
const QUANTITY = /(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)\s*(?:个)?(?:工作日|自然日|日|天|个月|月|年|周岁|岁|小时|周|万元|元|项|份|次|人|平方米)(?:内|以内|之内|以上|以下|前|后)?/g;
const DURATION = /工作日|自然日|日|天|月|年|小时|周/;
const MODAL = /^(?:需要|需|须|必须|应当|应|要|可以|可)/;
const EDGES = /^[\s，,、：:；;。的]+|[\s，,、：:；;。的]+$/g;

/** A plain question about a key point, from its text: figures taken out, so it asks rather than tells. */
export function askFor(k: KeyPoint, phrases: ConversationPhrases): string {
  const figures = k.text.match(QUANTITY) ?? [];
  const topic = k.text.replace(QUANTITY, '').replace(EDGES, '').replace(MODAL, '').replace(EDGES, '') || k.text.replace(EDGES, '');
  const c = phrases.citizen;
  if (figures.length === 0) return fill(c.askTopic, { topic });
  return fill(figures.some((f) => DURATION.test(f)) ? c.askDuration : c.askAmount, { topic });
}
