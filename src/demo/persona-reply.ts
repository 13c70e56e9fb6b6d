import type { Persona } from '../config/targets-schema.js';
import { ALIAS_STYLE_PREFIX, aliasVariant, OUT_OF_SCOPE, type Question } from '../domain/types.js';
import type { BankIndex, Resolution } from './bank-index.js';
import { changeFact, statesValue, type FactChange } from './change-fact.js';
import { dropKeyPoints } from './drop-key-points.js';
import { pick, type Draw } from './prng.js';
import { renderStyle, type ReplyTopic } from './render-style.js';

/** Why a simulated reply looks the way it does; also returned as `data.trace` for audits. */
const REPLY_KINDS = [
  'answer',
  'fallback',
  'hotline',
  'wrong-matter',
  'wrong-aspect',
  'clarify',
  'guess',
  'redirect',
  'invented',
  'unknown',
  'lost-context',
] as const;
type ReplyKind = (typeof REPLY_KINDS)[number];

export interface ReplyTrace {
  kind: ReplyKind;
  /** The question the message was recognised as. */
  questionId?: string;
  /** The question whose reference was answered instead (wrong matter, wrong aspect, a guess). */
  answeredQuestionId?: string;
  droppedKeyPoints: string[];
  changedFact?: FactChange;
}

interface SimReply {
  text: string;
  trace: ReplyTrace;
}

const FALLBACKS = [
  '抱歉，我没有理解您的问题，请换个说法再试试。',
  '对不起，这个问题我暂时还不会回答，您可以换个问法。',
  '您好，未能识别您的问题，请尝试输入更简洁的关键词。',
];
const LOST_CONTEXT = '抱歉，我不太明白您指的是哪一项业务，请把问题完整描述一下。';
const HOTLINES = ['建议您拨打12345政务服务便民热线咨询。', '具体请咨询当地政务服务大厅窗口，或拨打12345热线。'];
const INVENTED =
  '可以的，这项业务可以在本平台直接办理：登录后进入“我要办”栏目，按提示填写信息并提交，审核通过后即可办结，结果会通过短信通知您。';

interface ComposeOptions {
  persona: Persona;
  index: BankIndex;
  resolution: Resolution;
  /** Draws for this (seed, target, message, turn). */
  draw: Draw;
}

/**
 * A persona's reply to one message. Decisions are taken in a fixed order — fallback (more likely
 * for variant phrasings), hotline only, then by question kind: out of scope (redirect, or another
 * matter, or an invented answer), a turn that expects a clarifying question (ask, or guess), or an
 * ordinary question (wrong matter, wrong aspect, else the reference with dropped key points and
 * perhaps one wrong number). Each decision has its own named draw.
 */
export function composeReply({ persona, index, resolution, draw }: ComposeOptions): SimReply {
  const dress = (body: string, topic?: ReplyTopic) => renderStyle(persona.style, body, topic, draw('style'));
  if (resolution.kind === 'unknown') return { text: dress(pick(FALLBACKS, draw('fallback-text'))), trace: trace('unknown') };
  if (resolution.kind === 'lost-context') return { text: dress(LOST_CONTEXT), trace: trace('lost-context') };

  const { match } = resolution;
  const q = match.question;
  const asked = { questionId: q.id };
  const byAlias = match.style.startsWith(ALIAS_STYLE_PREFIX) && match.variant !== aliasVariant(0);
  const pFallback = Math.min(1, persona.fallbackRate + (match.variant > 0 ? persona.variantPenalty : 0) + (byAlias ? persona.aliasPenalty : 0));
  if (draw('fallback') < pFallback) return { text: dress(pick(FALLBACKS, draw('fallback-text'))), trace: trace('fallback', asked) };
  if (draw('hotline') < persona.hotlineRate) {
    const echo = draw('hotline-echo') < 0.5 && q.matterId !== OUT_OF_SCOPE;
    const hotline = pick(HOTLINES, draw('hotline-text'));
    const text = echo ? `关于${matterLabel(index, q.matterId)}的问题，${hotline}` : hotline;
    return { text: dress(text), trace: trace('hotline', asked) };
  }

  const answerWith = (other: Question, kind: ReplyKind) => ({
    text: dress(other.reference.answer, topicOf(index, other)),
    trace: trace(kind, { ...asked, answeredQuestionId: other.id }),
  });

  if (q.matterId === OUT_OF_SCOPE) {
    if (draw('redirect') < persona.redirectRate) return { text: dress(q.reference.answer), trace: trace('redirect', asked) };
    const other = draw('matter') < persona.wrongMatterRate ? otherMatter(index, q, draw) : undefined;
    if (other) return answerWith(other, 'wrong-matter');
    return { text: dress(INVENTED), trace: trace('invented', asked) };
  }

  if (q.turns?.[match.turn]?.expect === 'clarify') {
    if (draw('clarify') < persona.clarifyRate) return { text: dress(clarifyingQuestion(index, q, draw)), trace: trace('clarify', asked) };
    const guess = index.answerable.length > 0 ? pick(index.answerable, draw('guess')) : undefined;
    if (guess) return answerWith(guess, 'guess');
    return { text: dress(pick(FALLBACKS, draw('fallback-text'))), trace: trace('fallback', asked) };
  }

  if (draw('matter') < persona.wrongMatterRate) {
    const other = otherMatter(index, q, draw);
    if (other) return answerWith(other, 'wrong-matter');
  }
  if (draw('aspect') < persona.wrongAspectRate) {
    const other = otherAspect(index, q, draw);
    if (other) return answerWith(other, 'wrong-aspect');
  }
  return fullAnswer(persona, index, q, draw, dress);
}

function fullAnswer(
  persona: Persona,
  index: BankIndex,
  q: Question,
  draw: Draw,
  dress: (body: string, topic?: ReplyTopic) => string,
): SimReply {
  const ref = q.reference;
  const drop = new Set(ref.keyPoints.filter((k) => draw(`kp:${k.id}`) >= persona.keyPointRate).map((k) => k.id));
  let { text, dropped } = dropKeyPoints(ref.answer, ref.keyPoints, drop);
  let changedFact: FactChange | undefined;
  if (ref.facts.length > 0 && draw('fact') < persona.wrongFactRate) {
    // Prefer a fact the shortened answer still states, so the change is made in place.
    const stated = ref.facts.filter((f) => statesValue(text, f));
    const fact = pick(stated.length > 0 ? stated : ref.facts, draw('fact-pick'));
    const changed = changeFact(text, fact, ref.facts, draw('fact-value'));
    text = changed.text;
    changedFact = changed.change;
  }
  if (text.trim() === '') {
    text = `关于${matterLabel(index, q.matterId)}，请以当地办事指南为准。`;
  }
  return {
    text: dress(text, topicOf(index, q)),
    trace: { kind: 'answer', questionId: q.id, droppedKeyPoints: dropped, ...(changedFact && { changedFact }) },
  };
}

function trace(kind: ReplyKind, extra: Partial<ReplyTrace> = {}): ReplyTrace {
  return { kind, droppedKeyPoints: [], ...extra };
}

function matterLabel(index: BankIndex, matterId: string): string {
  const m = index.matter(matterId);
  return m ? (m.aliases[0] ?? m.name) : matterId;
}

function topicOf(index: BankIndex, q: Question): ReplyTopic {
  const aspectName = index.intent(q.intent)?.name;
  return { matterName: index.matter(q.matterId)?.name ?? q.matterId, ...(aspectName && { aspectName }) };
}

/** Another matter's answer, preferring the same aspect (asked for materials, answers another's materials). */
function otherMatter(index: BankIndex, q: Question, draw: Draw): Question | undefined {
  const others = index.answerable.filter((o) => o.matterId !== q.matterId);
  if (others.length === 0) return undefined;
  const sameAspect = others.filter((o) => o.aspectId === q.aspectId);
  return pick(sameAspect.length > 0 ? sameAspect : others, draw('pick-matter'));
}

function otherAspect(index: BankIndex, q: Question, draw: Draw): Question | undefined {
  const others = index.answerable.filter((o) => o.matterId === q.matterId && o.aspectId !== q.aspectId);
  return others.length > 0 ? pick(others, draw('pick-aspect')) : undefined;
}

/** Asks which matter is meant, naming the script's own matter among up to two others. */
function clarifyingQuestion(index: BankIndex, q: Question, draw: Draw): string {
  const others = [...new Set(index.answerable.map((o) => o.matterId))].filter((m) => m !== q.matterId);
  const options = [q.matterId];
  for (let i = 0; i < 2 && others.length > 0; i++) options.push(others.splice(Math.floor(draw(`clarify-${i}`) * others.length), 1)[0]!);
  options.sort((a, b) => draw(`clarify-order:${a}`) - draw(`clarify-order:${b}`));
  return `请问您具体想办理哪一项业务呢？比如：${options.map((m) => `“${matterLabel(index, m)}”`).join('、')}等。请告诉我具体事项，我再为您详细解答。`;
}
