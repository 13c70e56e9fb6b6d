import { relative, resolve, sep } from 'node:path';
import type { ReportRunMeta } from '../../scoring/model.js';
import { esc } from './escape.js';

/** Raw replies are cut to this in the report; the database keeps them up to the adapters' limit. */
export const MAX_RAW_CHARS = 2000;

/** What a report can show to settle a dispute over one turn. */
export interface TurnEvidence {
  /** When the turn was sent (ISO 8601); absent for turns stored before it was recorded. */
  at?: string;
  /** Where the screenshot was saved, as stored (absolute, or relative to the folder the run ran in). */
  screenshot?: string;
  /** The response as received, already cut for the report. */
  raw: string;
}

export const cutRaw = (raw: string, max = MAX_RAW_CHARS): string => (raw.length > max ? `${raw.slice(0, max)}…` : raw);

/**
 * A screenshot's address from the report's folder: relative, so the results folder can move as a
 * whole, with each path segment percent-encoded so no character of a name can end or redirect the URL.
 */
export function screenshotHref(screenshot: string, reportDir: string): string {
  return relative(resolve(reportDir), resolve(screenshot)).split(sep).map(encodeURIComponent).join('/');
}

/** A turn's send time, screenshot link and raw reply (collapsed); empty when the turn has none of them. */
export function turnEvidenceHtml(t: TurnEvidence, reportDir: string): string {
  const parts = [
    ...(t.at ? [`sent <time datetime="${esc(t.at)}">${esc(t.at)}</time>`] : []),
    ...(t.screenshot ? [`<a class="shot" href="${esc(screenshotHref(t.screenshot, reportDir))}">screenshot</a>`] : []),
  ];
  const raw = t.raw === '' ? '' : `<details class="raw"><summary>raw reply</summary><pre>${esc(t.raw)}</pre></details>`;
  if (parts.length === 0 && raw === '') return '';
  return `<div class="evidence">${parts.join(' · ')}${raw}</div>`;
}

/** The versions the run ran with, and the full hash of its banks: what a disputed result is traced to. */
export function environmentHtml(run: ReportRunMeta): string {
  const env = run.environment;
  const items = env
    ? [`govbench ${esc(env.govbench)}`, `Node ${esc(env.node)}`, ...(env.browser ? [`browser ${esc(env.browser)}`] : [])]
    : ['versions not recorded (a run stored before they were)'];
  return `<p class="meta" id="environment">${items.join(' · ')} · question banks <code>${esc(run.banksHash)}</code></p>`;
}
