/** Reports (SPEC §6): renderers of the scoring model, and the one writer that touches files. */
export { renderMarkdown, configSection, type MarkdownOptions } from './markdown.js';
export { renderJson, toJsonReport, JSON_REPORT_VERSION, type JsonReport, type JsonTarget, type JsonBreakdown } from './json.js';
export { renderLeaderboard, type LeaderboardOptions } from './leaderboard.js';
export { writeReport, REPORT_RENDERERS, type ReportFormat } from './write.js';
export { escapeCell, stripUnsafe, toTerminalLine, displayWidth, REGION_LABELS, GRADE_LABELS } from './format.js';
