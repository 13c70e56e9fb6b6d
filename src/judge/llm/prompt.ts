/**
 * Builds the reference-guided prompt for one answer. The answer goes in last, between markers that
 * carry a fresh random nonce, so text inside it cannot close the fence or pose as instructions.
 */
import { randomBytes } from 'node:crypto';
import { OUT_OF_SCOPE, type BankSet, type Fact, type JudgeInput, type Question, type SupersededRule } from '../../domain/types.js';
import { render, type LlmTemplates } from './templates.js';

/** The markers around one answer. */
interface Fence {
  start: string;
  end: string;
  /** The answer between the markers, with anything marker-like inside it defused. */
  block: string;
}

interface JudgeMessages {
  system: string;
  user: string;
  fence: Fence;
}

/** A fresh nonce that does not occur in the answer. */
export function newNonce(answer: string): string {
  for (;;) {
    const nonce = randomBytes(6).toString('hex');
    if (!answer.includes(nonce)) return nonce;
  }
}

/**
 * Quotes an answer between `<<<ANSWER-nonce` and `ANSWER-nonce>>>`. Any occurrence of the marker, and any
 * run of `<<<` or `>>>`, inside the answer is replaced, so the answer cannot end its own quotation.
 */
export function fenceAnswer(answer: string, nonce: string): Fence {
  const marker = `ANSWER-${nonce}`;
  const start = `<<<${marker}`;
  const end = `${marker}>>>`;
  const defused = answer
    .split(marker)
    .join('[marker removed]')
    .replace(/<{3,}/g, (m) => '‹'.repeat(m.length))
    .replace(/>{3,}/g, (m) => '›'.repeat(m.length));
  return { start, end, block: `${start}\n${defused}\n${end}` };
}

/** What the prompt needs from the loaded banks, computed once per judge. */
interface PromptContext {
  templates: LlmTemplates;
  /** Per matter id, the rules that no longer hold (listed with the contradictions as outdated). */
  superseded: ReadonlyMap<string, readonly SupersededRule[]>;
  matterNames: ReadonlyMap<string, string>;
  aspectNames: ReadonlyMap<string, string>;
  /** Every loaded intent, one line each. */
  intentList: string;
}

export function createPromptContext(templates: LlmTemplates, banks: BankSet): PromptContext {
  const matterNames = new Map(banks.matters.map((m) => [m.id, m.name]));
  const aspectNames = new Map(banks.intents.map((i) => [i.id, i.name]));
  const intentList = banks.intents.map((i) => `- ${i.id}: ${matterNames.get(i.matterId) ?? i.matterId} / ${i.name}`).join('\n');
  const superseded = new Map(banks.matters.map((m) => [m.id, m.superseded]));
  return { templates, superseded, matterNames, aspectNames, intentList };
}

/** Contradiction ids shown to the model: c1, c2, … in bank order. */
export function contradictionId(index: number): string {
  return `c${index + 1}`;
}

/** Ids of the outdated rules shown to the model with the contradictions: o1, o2, … */
export function outdatedId(index: number): string {
  return `o${index + 1}`;
}

/** The superseded rules of the question's matter that apply to its aspect, in bank order. */
export function outdatedRulesFor(ctx: PromptContext, q: Question): SupersededRule[] {
  return (ctx.superseded.get(q.matterId) ?? []).filter((r) => r.aspects === undefined || r.aspects.includes(q.aspectId));
}

function factLine(f: Fact): string {
  const also = f.also.map((a) => `${a.value} ${f.unit}${a.context.length > 0 ? ` where ${a.context.join(' / ')}` : ''} (${a.source})`);
  return `- ${f.id}: ${f.text}; ${f.value} ${f.unit}${also.length > 0 ? `; also lawful: ${also.join('; ')}` : ''}`;
}

function outdatedLine(r: SupersededRule, i: number): string {
  const said = [...r.facts.map((f) => f.text), ...r.statements].join('; ');
  return `- ${outdatedId(i)}: outdated — ${r.rule}${r.repealed ? `, no longer in force since ${r.repealed}` : ''}: ${said}`;
}

export function buildMessages(ctx: PromptContext, input: JudgeInput, nonce: string): JudgeMessages {
  const { templates: t } = ctx;
  const q = input.question;
  const ref = q.reference;
  const fence = fenceAnswer(input.answer, nonce);
  const list = (lines: string[]) => (lines.length > 0 ? lines.join('\n') : t.notes.none);
  const values: Record<string, string> = {
    rubric: t.rubric,
    matter: ctx.matterNames.get(q.matterId) ?? q.matterId,
    aspect: ctx.aspectNames.get(q.intent) ?? q.aspectId,
    intent: q.intent,
    question: questionText(q, input.turn, t),
    notes: notesFor(q, input.turn, t).join('\n'),
    intents: ctx.intentList,
    referenceAnswer: ref.answer,
    keyPoints: list(ref.keyPoints.map((k) => `- ${k.id}: ${k.text}`)),
    minKeyPoints: String(ref.minKeyPoints),
    facts: list(ref.facts.map(factLine)),
    contradictions: list([...ref.contradictions.map((c, i) => `- ${contradictionId(i)}: ${c}`), ...outdatedRulesFor(ctx, q).map(outdatedLine)]),
    fenceStart: fence.start,
    fenceEnd: fence.end,
    answer: fence.block,
  };
  return { system: render(t.system, values), user: render(t.user, values), fence };
}

/** The judged turn, clamped to the script (a single question has one turn). */
export function judgedTurn(q: Question, turn: number): number {
  const last = (q.turns?.length ?? 1) - 1;
  return Math.min(Math.max(0, turn), last);
}

/** The phrasing actually asked is not known to the judge: the bank's text, or a script's turns so far. */
function questionText(q: Question, turn: number, t: LlmTemplates): string {
  if (!q.turns) return q.text;
  const upTo = judgedTurn(q, turn);
  return q.turns
    .slice(0, upTo + 1)
    .map((s, i) => `${i + 1}. ${s.user}${i === upTo ? `  ${t.notes.judgedTurn}` : ''}`)
    .join('\n');
}

function notesFor(q: Question, turn: number, t: LlmTemplates): string[] {
  const notes = [q.turns ? t.notes.script : t.notes.canonical];
  if (q.turns?.[judgedTurn(q, turn)]?.expect === 'clarify') notes.push(t.notes.clarifyTurn);
  if (q.matterId === OUT_OF_SCOPE) notes.push(t.notes.outOfScope);
  return notes;
}
