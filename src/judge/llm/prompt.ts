/**
 * Builds the reference-guided prompt for one answer. The answer goes in last, between markers that
 * carry a fresh random nonce, so text inside it cannot close the fence or pose as instructions.
 */
import { randomBytes } from 'node:crypto';
import { OUT_OF_SCOPE, type BankSet, type JudgeInput, type Question } from '../../domain/types.js';
import { render, type LlmTemplates } from './templates.js';

/** The markers around one answer. */
export interface Fence {
  start: string;
  end: string;
  /** The answer between the markers, with anything marker-like inside it defused. */
  block: string;
}

export interface JudgeMessages {
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
export interface PromptContext {
  templates: LlmTemplates;
  matterNames: ReadonlyMap<string, string>;
  aspectNames: ReadonlyMap<string, string>;
  /** Every loaded intent, one line each. */
  intentList: string;
}

export function createPromptContext(templates: LlmTemplates, banks: BankSet): PromptContext {
  const matterNames = new Map(banks.matters.map((m) => [m.id, m.name]));
  const aspectNames = new Map(banks.intents.map((i) => [i.id, i.name]));
  const intentList = banks.intents.map((i) => `- ${i.id}: ${matterNames.get(i.matterId) ?? i.matterId} / ${i.name}`).join('\n');
  return { templates, matterNames, aspectNames, intentList };
}

/** Contradiction ids shown to the model: c1, c2, … in bank order. */
export function contradictionId(index: number): string {
  return `c${index + 1}`;
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
    facts: list(ref.facts.map((f) => `- ${f.id}: ${f.text}; ${f.value} ${f.unit}`)),
    contradictions: list(ref.contradictions.map((c, i) => `- ${contradictionId(i)}: ${c}`)),
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
