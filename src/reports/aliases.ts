import type { AliasRecognition } from '../scoring/alias-recognition.js';
import type { ReportModel, TargetReport } from '../scoring/model.js';
import { escapeCell, fmtScore } from './format.js';

/** Below this share (0–100) of recognized answers, a name counts as not understood and is highlighted. */
export const LOW_RECOGNITION = 50;

/** Explains the alias tables, in every format. */
export const ALIASES_NOTE = `Each question that names its matter was also asked with the matter named by each of its other names — the official one and the aliases citizens use (\`run --aliases\`). Share = answers that recognized the intent, of those judged. Names below ${LOW_RECOGNITION}% are ones the chatbot does not understand; each target lists them beside the official names (the JSON report has every name). These cases are kept out of every score above.`;

/** The targets that were asked alias cases, in the report's order. */
export function aliasTargets(model: ReportModel): TargetReport[] {
  return model.targets.filter((t) => t.aliases.length > 0);
}

export function isLowRecognition(a: AliasRecognition): boolean {
  return a.share !== null && a.share < LOW_RECOGNITION;
}

/** The rows a target's table shows: its official names, for comparison, and the names it does not understand. */
export function shownAliases(t: TargetReport): AliasRecognition[] {
  return t.aliases.filter((a) => a.official || isLowRecognition(a));
}

/** The line above a target's table. */
export function understoodLine(t: TargetReport): { low: AliasRecognition[]; text: string } {
  const low = t.aliases.filter(isLowRecognition);
  const total = t.aliases.filter((a) => a.share !== null).length;
  return { low, text: `${total - low.length} of ${total} names understood` };
}

/** The name as reports label it: the official one marked so. */
export function aliasLabel(a: AliasRecognition): string {
  return a.official ? `${a.alias} (official)` : a.alias;
}

/** The Markdown section (one table per target); null when the run asked no alias cases. */
export function aliasesMarkdown(model: ReportModel): string | null {
  const targets = aliasTargets(model);
  if (targets.length === 0) return null;
  const parts = ['## Names of matters', '', ALIASES_NOTE, ''];
  for (const t of targets) {
    const { low, text } = understoodLine(t);
    parts.push(`### ${escapeCell(t.name)} (${escapeCell(t.id)})`, '');
    parts.push(`${text}${low.length > 0 ? `; not understood: ${low.map((a) => escapeCell(a.alias)).join(', ')}` : ''}.`, '');
    parts.push('| Matter | Name | Judged | Recognized | Share |', '|---|---|---:|---:|---:|');
    for (const a of shownAliases(t)) {
      const share = fmtScore(a.share);
      const cells = [escapeCell(a.matter), escapeCell(aliasLabel(a)), String(a.asked), String(a.recognized), isLowRecognition(a) ? `**${share}**` : share];
      parts.push(`| ${cells.join(' | ')} |`);
    }
    parts.push('');
  }
  return parts.join('\n').trimEnd();
}
