/**
 * What a report says above its tables about cases left out of the scores and answers of note, the
 * same in every format: each notice has a bold lead, plain text, and commands shown as code.
 */
import type { ReportModel } from '../scoring/model.js';
import { plural } from './format.js';

interface Notice {
  lead: string;
  /** Text after the lead; `{cmd}` marks where each of `commands` goes, in order. */
  text: string;
  commands: string[];
}

export function runNotices(m: ReportModel): Notice[] {
  const id = m.run.id;
  const out: Notice[] = [];
  const pending = m.targets.reduce((n, t) => n + t.pending, 0);
  if (pending > 0) {
    out.push({
      lead: `${plural(pending, 'case')} ${pending === 1 ? 'waits' : 'wait'} for review`,
      text: ': the judge was not sure of them, so they are left out of accuracy and intent until decided. Decide them with {cmd}, or judge them with {cmd}.',
      commands: [`govbench review ${id}`, `govbench rejudge ${id} --judge cascade`],
    });
  }
  const unjudged = m.totals.unjudged - pending;
  if (unjudged > 0) {
    out.push({
      lead: `${plural(unjudged, 'available case')} unjudged`,
      text: ' (the judge failed or has not run), left out of accuracy and intent. Re-judge with {cmd}.',
      commands: [`govbench rejudge ${id}`],
    });
  }
  const unclassified = m.targets.reduce((n, t) => n + t.unclassified, 0);
  if (unclassified > 0) {
    out.push({
      lead: `${plural(unclassified, 'answer')} without a failure kind`,
      text: ': judged before failure kinds were recorded, so the pain points leave them out. Classify them with {cmd}.',
      commands: [`govbench rejudge ${id}`],
    });
  }
  const outdated = m.targets.filter((t) => t.outdated > 0);
  if (outdated.length > 0) {
    out.push({
      lead: 'Outdated answers',
      text: ` (a rule no longer in force stated as current): ${outdated.map((t) => `${t.name} ${t.outdated}`).join(', ')}.`,
      commands: [],
    });
  }
  return out;
}

/** A notice's text with each `{cmd}` replaced by its command, rendered by `code`; the text by `plain`. */
export function renderNotice(n: Notice, plain: (s: string) => string, code: (s: string) => string): string {
  const parts = n.text.split('{cmd}');
  return parts.map((p, i) => plain(p) + (i < n.commands.length ? code(n.commands[i]!) : '')).join('');
}
