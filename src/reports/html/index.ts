/** The HTML report: a self-contained page with server-rendered SVG charts. */
export { renderHtml, type HtmlExtras } from './render-html.js';
export { selectWorstAnswers, WorstAnswerCollector, MAX_REPLY_CHARS, type WorstAnswer } from './worst-answers.js';
export { casesWithTurns, type CaseWithTurns } from './case-stream.js';
export { esc as escapeHtml } from './escape.js';
export { CONTENT_SECURITY_POLICY } from './page.js';
