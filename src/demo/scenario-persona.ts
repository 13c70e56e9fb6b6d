import type { Persona } from '../config/targets-schema.js';
import type { Scenario } from '../domain/types.js';
import { normalizeMessage } from './bank-index.js';
import { createDraw } from './prng.js';

/** What a simulated chatbot remembers of one scenario conversation. */
interface Played {
  scenario: Scenario;
  /** Fact keys it asked the citizen for. */
  asked: Set<string>;
  /** Fact keys whose values the citizen has said. */
  heard: Set<string>;
  /** It already asked for a fact a second time (a forgetful bot does so once per conversation). */
  forgot: boolean;
  turn: number;
}

/** Caps remembered conversations, as the fleet caps its sessions. */
const MAX_PLAYED = 20_000;

/**
 * The fleet's side of a scenario conversation (issue 16), recognised by its opening. On a vague
 * opening a persona asks for the scenario's first fact with `clarifyRate`, then answers in full;
 * without asking it guesses, keeping each key point with `keyPointRate`, and asks on the next turn.
 * Once the citizen has given a fact it was asked for, a persona asks for it again with `forgetRate`
 * (once per conversation): the memory a conversation score measures. Draws depend on the stream (role), the scenario and the turn, so the
 * releases of one assistant differ only where their rates differ.
 */
export function createScenarioPersonas(scenarios: readonly Scenario[], seed: number | string) {
  const byOpening = new Map(scenarios.map((s) => [normalizeMessage(s.opening), s]));
  const played = new Map<string, Played>();

  return {
    /** The reply to a message of a scenario conversation; undefined when the session plays none. */
    reply(sessionKey: string, message: string, persona: Persona, stream: string): string | undefined {
      let p = played.get(sessionKey);
      if (!p) {
        const scenario = byOpening.get(message);
        if (!scenario) return undefined;
        if (played.size >= MAX_PLAYED) played.delete(played.keys().next().value!);
        p = { scenario, asked: new Set(), heard: new Set(), forgot: false, turn: 0 };
        played.set(sessionKey, p);
      }
      const draw = createDraw(seed, stream, p.scenario.id, p.turn);
      p.turn += 1;
      const facts = Object.entries(p.scenario.facts);
      const given = facts.filter(([k, v]) => !p.heard.has(k) && message.includes(v)).map(([k]) => k);
      for (const k of given) p.heard.add(k);
      if (p.turn === 1) return facts.length > 0 && draw('clarify') < persona.clarifyRate ? ask(p, facts[0]![0]) : guess(p, persona, draw);
      const again = given.find((k) => p.asked.has(k));
      if (again !== undefined && !p.forgot && draw('forget') < persona.forgetRate) {
        p.forgot = true;
        return `不好意思，请再提供一下您的${again}？`;
      }
      // A guess that did not satisfy the citizen: it asks now what it should have asked first.
      if (p.asked.size === 0 && facts.length > 0) return ask(p, facts[0]![0]);
      return p.scenario.reference.answer;
    },
  };
}

function ask(p: Played, key: string): string {
  p.asked.add(key);
  return `为了准确答复，请问您的${key}是？`;
}

/** An answer to a vague opening without asking: some key points, each kept with `keyPointRate`. */
function guess(p: Played, persona: Persona, draw: (label: string) => number): string {
  const { reference } = p.scenario;
  const kept = reference.keyPoints.filter((k) => draw(`kp:${k.id}`) < persona.keyPointRate).map((k) => k.text);
  return kept.length > 0 ? `${kept.join('；')}。具体以窗口受理为准。` : '请您咨询当地政务服务窗口。';
}
