import type { TargetCheck } from '../domain/types.js';
import { oneLine } from '../text/sanitize.js';
import { displayWidth, fit, fmtMs, MISSING, truncate } from './format.js';

/** Characters of a reply worth showing: enough to recognise an answer, a greeting or a fallback. */
const REPLY_CHARS = 60;

/** The documented shape of `govbench check --json`. */
interface CheckJson {
  targets: {
    id: string;
    name: string;
    status: TargetCheck['status'];
    firstReplyMs: number | null;
    reply: string | null;
    detail: string | null;
    /** Browser targets: the page after the reply or at the failure; null for the others. */
    screenshot: string | null;
  }[];
  ready: number;
  total: number;
}

/** Replies, names and error bodies come from outside: shown on one line, without escapes or bidi controls. */
function sanitized(c: TargetCheck): CheckJson['targets'][number] {
  return {
    id: oneLine(c.id),
    name: oneLine(c.name),
    status: c.status,
    firstReplyMs: c.firstReplyMs === null ? null : Math.round(c.firstReplyMs),
    reply: c.reply === null ? null : [...oneLine(c.reply)].slice(0, REPLY_CHARS).join(''),
    detail: c.detail === null ? null : oneLine(c.detail),
    screenshot: c.screenshot === undefined ? null : oneLine(c.screenshot),
  };
}

const readyCount = (checks: readonly TargetCheck[]) => checks.filter((c) => c.status === 'ready').length;

export function renderCheckJson(checks: readonly TargetCheck[]): string {
  const json: CheckJson = { targets: checks.map(sanitized), ready: readyCount(checks), total: checks.length };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/**
 * One aligned row per target (CJK names take two columns each), the screenshots of browser targets
 * (paths are too long for a column), then `N ready of M`. The last column is the reply for a ready
 * target and the reason otherwise, cut to what is left of `width`.
 */
export function renderCheckTable(checks: readonly TargetCheck[], width = 100): string {
  const rows = checks.map(sanitized);
  const header = { id: 'id', name: 'name', status: 'status', first: 'first reply', last: 'reply / detail' };
  const idW = Math.min(24, Math.max(displayWidth(header.id), ...rows.map((r) => displayWidth(r.id))));
  const nameW = Math.min(16, Math.max(displayWidth(header.name), ...rows.map((r) => displayWidth(r.name))));
  const statusW = 'unreachable'.length;
  const firstW = header.first.length;
  const lastW = Math.max(20, width - (idW + nameW + statusW + firstW + 8));
  const line = (id: string, name: string, status: string, first: string, last: string) =>
    `${fit(id, idW)}  ${fit(name, nameW)}  ${fit(status, statusW)}  ${fit(first, firstW, 'right')}  ${truncate(last, lastW)}`.trimEnd();
  const body = rows.map((r) =>
    line(r.id, r.name, r.status, r.firstReplyMs === null ? MISSING : fmtMs(r.firstReplyMs), r.status === 'ready' ? `“${r.reply}”` : (r.detail ?? '')),
  );
  const shots = rows.filter((r) => r.screenshot !== null).map((r) => `  ${fit(r.id, idW)}  ${r.screenshot}`);
  const screenshots = shots.length > 0 ? `\nscreenshots:\n${shots.join('\n')}\n` : '';
  const summary = `${readyCount(checks)} ready of ${checks.length}`;
  return `${[line(header.id, header.name, header.status, header.first, header.last), ...body].join('\n')}\n${screenshots}\n${summary}\n`;
}
