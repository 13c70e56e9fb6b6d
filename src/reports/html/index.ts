/** The HTML report: a self-contained page with server-rendered SVG charts. */
export { renderHtml } from './render-html.js';
export { selectWorstAnswers, WorstAnswerCollector, type WorstAnswer } from './worst-answers.js';
export { casesWithTurns } from './case-stream.js';
