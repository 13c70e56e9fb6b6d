import { errorKindLabel } from '../../reports/error-kinds.js';
import type { JudgedVerdict, JudgeMode, Question, Verdict } from '../../domain/types.js';
import { fit, oneLine, wrap } from '../text.js';
import { VERDICT_COLORS } from '../colors.js';
import type { Line } from '../text-view.js';
import { conversationLines } from './conversation-lines.js';
import { judgeOrder, type CaseDetail } from './results-from-store.js';

const INDENT = '    ';

function block(label: string, text: string, width: number, style: Omit<Line, 'text'> = {}): Line[] {
  const lines = wrap(text, width - INDENT.length);
  return lines.map((l, i) => ({ text: i === 0 ? `${fit(label, INDENT.length)}${l}` : `${INDENT}${l}`, ...style }));
}

/** Key points found and missed, by their text when the question is known. */
function keyPointText(v: JudgedVerdict, question: Question | null): string {
  if (!question) return v.keyPointsHit.length > 0 ? `✓ ${v.keyPointsHit.join(', ')}` : 'none found';
  const hit = new Set(v.keyPointsHit);
  const points = question.reference.keyPoints.map((k) => `${hit.has(k.id) ? '✓' : '✗'} ${k.text}`);
  return `${points.join('  ')}  (${hit.size}/${question.reference.minKeyPoints} needed)`;
}

function verdictLines(v: Verdict, question: Question | null, turns: number, width: number): Line[] {
  const who = `${v.judge}${turns > 1 ? ` (turn ${v.turn + 1})` : ''}`;
  if (v.status === 'unjudged') return [{ text: `${who}: unjudged — ${oneLine(v.reason)}`, dim: true }];
  const predicted = v.predictedIntent && v.predictedIntent !== question?.intent ? ` → ${oneLine(v.predictedIntent)}` : '';
  const lines: Line[] = [
    { text: `${who}: ${v.verdict} · intent ${v.intentRecognized ? 'recognized' : 'missed'}${predicted} · accuracy ${v.accuracy.toFixed(2)}`, color: VERDICT_COLORS[v.verdict], bold: true },
    ...block('', `key points: ${keyPointText(v, question)}`, width),
  ];
  if (v.factErrors.length > 0) {
    const facts = v.factErrors.map((id) => question?.reference.facts.find((f) => f.id === id)?.text ?? id);
    lines.push(...block('', `fact errors: ${facts.join('; ')}`, width, { color: 'red' }));
  }
  if (v.contradictions.length > 0) lines.push(...block('', `contradictions: ${v.contradictions.join('; ')}`, width, { color: 'red' }));
  if (v.rationale) lines.push(...block('', `why: ${v.rationale}`, width, { dim: true }));
  return lines;
}

/** A case as lines: what was asked, what came back, every judge's verdict with the key points found. */
export function transcriptLines(detail: CaseDetail, runJudge: JudgeMode, width: number): Line[] {
  const { row, verdicts, question } = detail;
  const r = row.record;
  const lines: Line[] = [
    { text: `case ${row.id} · ${oneLine(r.targetId)} · ${oneLine(r.questionId)} · ${oneLine(r.style)}${r.repeat > 1 ? ` · repeat ${r.repeat}` : ''}`, bold: true },
    { text: `intent ${oneLine(r.intent)}${r.critical ? ' · critical' : ''}`, dim: true },
  ];
  for (const t of row.turns) {
    // A followed suggestion is the citizen clicking one of the offered questions, not a text of the bank.
    lines.push({ text: '' }, ...block(t.followed ? '点' : '问', t.followed ? `${t.user} (a suggested question, followed)` : t.user, width, { color: 'cyan' }));
    // A wall's reply (a hand-off notice) is kept as evidence of the failure, and shown with it.
    if (t.ok || t.reply !== '') lines.push(...block('答', t.reply === '' ? '(empty reply)' : t.reply, width));
    if (t.suggestions?.length) {
      lines.push(...block('', `${t.suggestionsOnly ? 'only suggestions' : 'suggestions'}: ${t.suggestions.map(oneLine).join(' | ')}`, width, { dim: true }));
    }
    if (!t.ok) lines.push(...block('✗', `${t.errorKind ? errorKindLabel(t.errorKind) : 'error'}${t.httpStatus ? ` (HTTP ${t.httpStatus})` : ''}${t.error ? `: ${t.error}` : ''}`, width, { color: 'red' }));
    lines.push({ text: `${INDENT}${t.at ? `sent ${t.at} · ` : ''}first reply ${Math.round(t.firstMs)} ms · finished ${Math.round(t.totalMs)} ms · ${t.attempts} attempt${t.attempts === 1 ? '' : 's'}${t.screenshot ? ` · screenshot ${oneLine(t.screenshot)}` : ''}`, dim: true });
  }
  if (detail.conversation) return [...lines, { text: '' }, ...conversationLines(detail.conversation.played, detail.conversation.scenario)];
  lines.push({ text: '' }, { text: 'Verdicts', bold: true });
  if (verdicts.length === 0) lines.push({ text: 'none: a technical failure is not judged', dim: true });
  const sorted = [...verdicts].sort((a, b) => judgeOrder(runJudge, a.judge) - judgeOrder(runJudge, b.judge) || a.turn - b.turn);
  for (const v of sorted) lines.push(...verdictLines(v, question, row.turns.length, width));
  if (question) {
    lines.push({ text: '' }, ...block('参考', question.reference.answer, width, { dim: true }));
  }
  return lines;
}
