import type { CaseRecord, Turn } from '../../domain/types.js';
import type { ReportModel } from '../../scoring/model.js';
import type { CaseWithTurns } from './case-stream.js';
import { esc } from './escape.js';
import { perTargetBlocks } from './per-target.js';
import { cutRaw, turnEvidenceHtml } from './evidence.js';

/** Enough of a reply to tell which case a row is; the screenshot and raw reply beside it are the evidence. */
const EXCERPT_CHARS = 120;

/**
 * Raw replies of the full listing are cut shorter than the worst answers' (a widget's raw reply is
 * markup, longer still once escaped): 20,000 widget cases make a page of 20 million characters
 * rather than 57 million at the worst answers' cut.
 */
const LISTING_RAW_CHARS = 400;

function outcome(r: CaseRecord): string {
  if (r.verdict?.status === 'judged') return r.verdict.verdict;
  return r.available ? 'unjudged' : (r.errorKind ?? 'empty');
}

function turnHtml(t: Turn, reportDir: string): string {
  const reply = t.reply === '' ? `<span class="note">(no reply${t.errorKind ? `: ${esc(t.errorKind)}` : ''})</span>` : esc([...t.reply].slice(0, EXCERPT_CHARS).join(''));
  const evidence = turnEvidenceHtml({ raw: cutRaw(t.raw, LISTING_RAW_CHARS), ...(t.at !== undefined && { at: t.at }), ...(t.screenshot !== undefined && { screenshot: t.screenshot }) }, reportDir);
  return `<li><span class="who">${esc(t.user)}</span> → ${reply}${evidence}</li>`;
}

function caseHtml({ record: r, turns }: CaseWithTurns, reportDir: string): string {
  const where = [`<code>${esc(r.questionId)}</code>`, r.variant === 0 ? 'question text' : `variant ${r.variant}`, ...(r.repeat > 0 ? [`repeat ${r.repeat}`] : [])].join(' · ');
  return `<article class="case"><h3>${where} — ${esc(outcome(r))}</h3><ol>${turns.map((t) => turnHtml(t, reportDir)).join('')}</ol></article>`;
}

/**
 * Every case of a run that kept evidence, per target in leaderboard order: each turn's send time,
 * screenshot and raw reply, so a city that disputes its score can be shown what it answered. Cases
 * are rendered as they stream past; only their markup is held, grouped by target.
 */
export function evidenceSection(model: ReportModel, cases: Iterable<CaseWithTurns>, reportDir: string): string {
  const blocks = perTargetBlocks(model, cases, (c) => c.record.targetId, (c) => caseHtml(c, reportDir), 'case');
  return blocks === '' ? '<p class="note">No cases stored.</p>' : blocks;
}
