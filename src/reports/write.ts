import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { ReportModel } from '../scoring/model.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';

/** Report formats this module renders to files. */
const REPORT_RENDERERS = {
  md: renderMarkdown,
  json: (model: ReportModel) => `${renderJson(model)}\n`,
} as const;
type ReportFormat = keyof typeof REPORT_RENDERERS;

/**
 * Renders a report and writes it to `path` (folders created as needed). The file is written beside
 * and renamed into place, so a reader never sees half a report. The format defaults to the
 * extension: `.json` → json, anything else → md. Returns the path written.
 * @example writeReport(model, 'results/run-42.md')
 */
export function writeReport(model: ReportModel, path: string, format?: ReportFormat): string {
  const fmt = format ?? (extname(path).toLowerCase() === '.json' ? 'json' : 'md');
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, REPORT_RENDERERS[fmt](model));
  renameSync(tmp, path);
  return path;
}
