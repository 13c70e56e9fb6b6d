import type { ReportModel } from '../../scoring/model.js';
import { esc } from './escape.js';
import { perTargetBlocks } from './per-target.js';
import { turnEvidenceHtml } from './evidence.js';
import type { WorstAnswer } from './worst-answers.js';

function answerHtml(a: WorstAnswer, reportDir: string): string {
  const where = [
    `<code>${esc(a.questionId)}</code>`,
    a.variant === 0 ? 'question text' : `variant ${a.variant}`,
    esc(a.style),
    ...(a.repeat > 0 ? [`repeat ${a.repeat}`] : []),
    ...(a.accuracy !== null ? [`accuracy ${a.accuracy.toFixed(2)}`] : []),
  ].join(' · ');
  const badges = `<span class="badge v-${esc(a.verdict)}">${esc(a.verdict)}</span>${a.critical ? ' <span class="badge critical">critical</span>' : ''}`;
  const turns = a.turns
    .map(
      (t) =>
        `<div class="turn user"><span class="who">User</span>${esc(t.user)}</div>\n` +
        `<div class="turn bot"><span class="who">Chatbot</span>${t.reply === '' ? '<span class="note">(no reply)</span>' : esc(t.reply)}</div>` +
        turnEvidenceHtml(t, reportDir),
    )
    .join('\n');
  const rationale = a.rationale ? `<p class="rationale">${esc(a.rationale)}</p>` : '';
  return `<article class="answer"><h3>${badges} ${where}</h3>\n${rationale}\n${turns}\n</article>`;
}

/**
 * Each target's worst answers with their transcripts, in leaderboard order, one collapsible block per
 * target. Answers of targets the model does not know are listed after, under their id. Screenshots
 * are linked relative to `reportDir`, the folder the report is written to.
 */
export function worstAnswersSection(model: ReportModel, answers: readonly WorstAnswer[], reportDir: string): string {
  if (answers.length === 0) return '<p class="note">No incorrect, unanswered, partial or failed answers.</p>';
  return perTargetBlocks(model, answers, (a) => a.targetId, (a) => answerHtml(a, reportDir), 'answer');
}
