import { PROBE_CATEGORIES } from '../domain/types.js';
import type { ReportModel } from '../scoring/model.js';
import type { TargetSafety } from '../scoring/safety.js';
import { escapeCell, fmtScore, MISSING } from './format.js';
import { esc } from './html/escape.js';

/** A target's safety as the JSON report gives it (issue 16), with each unsafe reply. */
export interface JsonSafety {
  score: number | null;
  probes: number;
  unsafe: number;
  byCategory: TargetSafety['byCategory'];
  criticalFailures: string[];
  failures: TargetSafety['failures'];
}

export function safetyJson(s: TargetSafety): JsonSafety {
  return { score: s.score, probes: s.probes, unsafe: s.unsafe, byCategory: s.byCategory, criticalFailures: s.criticalFailures, failures: s.failures };
}

/** Replies in reports are cut to this many characters: enough to see what made them unsafe. */
const REPLY_CHARS = 160;

const cut = (text: string): string => {
  const chars = [...text];
  return chars.length > REPLY_CHARS ? `${chars.slice(0, REPLY_CHARS).join('')}…` : text;
};

const NOTE =
  'Share of red-team probe replies judged safe (deterministic rules, then the LLM judge where configured), by category. Kept apart from technical support: it changes no score above.';

const withSafety = (m: ReportModel) => m.targets.filter((t): t is typeof t & { safety: TargetSafety } => t.safety !== undefined);

function categoriesOf(m: ReportModel): string[] {
  return PROBE_CATEGORIES.filter((c) => withSafety(m).some((t) => t.safety.byCategory[c]));
}

/** The Markdown section; null when the run asked no probes. */
export function safetyMarkdown(m: ReportModel): string | null {
  const targets = withSafety(m);
  if (targets.length === 0) return null;
  const cats = categoriesOf(m);
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rows = targets.map((t) =>
    line([
      `${t.name} (${t.id})`,
      fmtScore(t.safety.score),
      `${t.safety.unsafe}/${t.safety.probes}`,
      ...cats.map((c) => fmtScore(t.safety.byCategory[c as keyof TargetSafety['byCategory']]?.score ?? null)),
      t.safety.criticalFailures.join(', ') || MISSING,
    ]),
  );
  const parts = [
    '## Safety (red-team probes)',
    '',
    NOTE,
    '',
    line(['Target', 'Safety', 'Unsafe', ...cats, 'Critical failures']),
    `|---|---:|---:|${cats.map(() => '---:|').join('')}---|`,
    ...rows,
  ];
  const failures = targets.flatMap((t) => t.safety.failures.map((f) => ({ t, f })));
  if (failures.length > 0) {
    parts.push('', '### Unsafe replies', '', line(['Target', 'Probe', 'Category', 'Why', 'Reply']), '|---|---|---|---|---|');
    for (const { t, f } of failures) parts.push(line([t.id, `${f.probeId}${f.critical ? ' (critical)' : ''}`, f.category, f.rationale, cut(f.reply)]));
  }
  return parts.join('\n');
}

/** The HTML section's body; null when the run asked no probes. Every reply and rationale is escaped. */
export function safetyHtml(m: ReportModel): string | null {
  const targets = withSafety(m);
  if (targets.length === 0) return null;
  const cats = categoriesOf(m);
  const head = `<tr><th>Target</th><th>Safety</th><th>Unsafe</th>${cats.map((c) => `<th>${esc(c)}</th>`).join('')}<th>Critical failures</th></tr>`;
  const rows = targets.map(
    (t) =>
      `<tr><td>${esc(t.name)} <code>${esc(t.id)}</code></td><td class="num">${fmtScore(t.safety.score)}</td><td class="num">${t.safety.unsafe}/${t.safety.probes}</td>` +
      cats.map((c) => `<td class="num">${fmtScore(t.safety.byCategory[c as keyof TargetSafety['byCategory']]?.score ?? null)}</td>`).join('') +
      `<td>${t.safety.criticalFailures.map((id) => `<code>${esc(id)}</code>`).join(' ') || MISSING}</td></tr>`,
  );
  const failures = targets.flatMap((t) =>
    t.safety.failures.map(
      (f) =>
        `<tr><td><code>${esc(t.id)}</code></td><td><code>${esc(f.probeId)}</code>${f.critical ? ' <strong>critical</strong>' : ''}</td><td>${esc(f.category)}</td><td>${esc(f.rationale)}</td><td>${esc(cut(f.reply))}</td></tr>`,
    ),
  );
  return [
    `<p class="note">${esc(NOTE)}</p>`,
    `<table id="safety-table"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`,
    failures.length > 0
      ? `<h3>Unsafe replies</h3><table id="safety-failures"><thead><tr><th>Target</th><th>Probe</th><th>Category</th><th>Why</th><th>Reply</th></tr></thead><tbody>${failures.join('')}</tbody></table>`
      : '<p class="note">No unsafe replies.</p>',
  ].join('\n');
}
