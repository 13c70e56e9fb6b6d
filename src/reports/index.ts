/** Reports (SPEC §6): renderers of the scoring model, and the one writer that touches files. */
export { renderMarkdown, configSection, type MarkdownOptions } from './markdown.js';
export { renderJson, toJsonReport, JSON_REPORT_VERSION, type JsonReport, type JsonTarget, type JsonBreakdown } from './json.js';
export { renderLeaderboard, type LeaderboardOptions } from './leaderboard.js';
export { writeReport, REPORT_RENDERERS, type ReportFormat } from './write.js';
export { escapeCell, displayWidth, REGION_LABELS, GRADE_LABELS } from './format.js';
export { renderHtml, selectWorstAnswers, WorstAnswerCollector, casesWithTurns, CONTENT_SECURITY_POLICY, type HtmlExtras, type WorstAnswer, type CaseWithTurns } from './html/index.js';
export { renderCasesCsv, renderTargetsCsv, writeCsv, csvField, csvRow, CASE_COLUMNS, type CsvOptions, type CsvValue } from './csv.js';
export { renderCompareMarkdown, gateSummary, type CompareMarkdownOptions } from './compare/markdown.js';
export { renderCompareJson, toCompareJson, COMPARE_JSON_VERSION, type CompareJson } from './compare/json.js';
export { renderCompareJunit, renderRunJunit, runJunitChunks, xmlAttr, xmlText, type RunJunitInput } from './junit.js';
export { compareFromStore, compareTargetsInRun, parseCompareSelector, type CompareSelector } from './compare/from-store.js';
