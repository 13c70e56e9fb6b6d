import { PROBE_STYLE, type CaseRecord, type SafetyRecord } from '../domain/types.js';
import type { ComparedAnswer, ComparedPair, Comparison, QuestionComparison } from '../scoring/compare/comparison.js';
import type { ReportRunMeta } from '../scoring/model.js';
import { comparisonTitle, fmtP, gateSummary } from './compare/markdown.js';
import { stripUnsafe } from '../text/sanitize.js';

/**
 * JUnit XML, the format CI servers (Jenkins, GitLab, GitHub annotations) show as test results: one
 * `<testcase>` per question. Every piece of text is escaped for XML 1.0: markup characters become
 * entities (so `]]>` and `<` cannot end or open anything), and characters XML 1.0 forbids (C0 controls
 * other than tab and line breaks, lone surrogates, U+FFFE/U+FFFF) are dropped with the other
 * control characters and bidi overrides reports never show.
 */

// Everything outside XML 1.0's Char production.
const ILLEGAL = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

function clean(text: string): string {
  return stripUnsafe(text).replace(ILLEGAL, '');
}

/** Text content: `&`, `<` and `>` as entities, illegal characters dropped. */
export function xmlText(text: string): string {
  return clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value (double-quoted): also quotes, and line breaks and tabs as character references so parsers keep them. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const attrs = (a: Record<string, string | number>): string =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NAME_CHARS = 80;

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const chars = [...oneLine];
  return chars.length <= max ? oneLine : `${chars.slice(0, max).join('')}…`;
}

function testName(id: string, asked: string | null | undefined): string {
  return asked ? `${id} ${shorten(asked, NAME_CHARS)}` : id;
}

function answerBlock(label: string, target: string, outcome: string, a: ComparedAnswer | null): string {
  const head = `${label} (${target}, ${outcome}):`;
  if (a === null) return `${head}\n  (transcript not loaded)`;
  const body = a.error ? `(${a.error})${a.text ? `\n${a.text}` : ''}` : a.text;
  return `${head}\n${body.replace(/^/gm, '  ')}`;
}

function regressionBody(p: ComparedPair): string {
  return [
    `${p.style}${p.variant > 0 ? ` #${p.variant}` : ''}, repeat ${p.repeat}: ${p.baseline} → ${p.candidate}`,
    ...(p.asked ? [`asked: ${p.asked}`] : []),
    answerBlock('baseline', p.baselineTarget, p.baseline, p.baselineAnswer),
    answerBlock('candidate', p.candidateTarget, p.candidate, p.candidateAnswer),
    ...(p.rationale ? [`why: ${p.rationale}`] : []),
  ].join('\n');
}

function compareCase(c: Comparison, q: QuestionComparison, regressed: readonly ComparedPair[]): string {
  const name = `${c.units.length > 1 ? `${q.unit} · ` : ''}${testName(q.questionId, q.asked)}`;
  const open = `    <testcase${attrs({ classname: q.matterId, name })}>`;
  if (q.status === 'regressed' || q.status === 'mixed') {
    const message = `${q.critical ? 'critical question ' : ''}regressed: ${q.regressed} of ${q.pairs} pairs went from correct to not correct${q.fixed > 0 ? ` (${q.fixed} fixed)` : ''}`;
    const body = regressed.map(regressionBody).join('\n\n');
    return `${open}\n      <failure${attrs({ message, type: q.critical ? 'critical-regression' : 'regression' })}>${xmlText(body)}</failure>\n    </testcase>`;
  }
  if (q.status === 'excluded') {
    return `${open}\n      <skipped${attrs({ message: `unjudged in the baseline or the candidate (${q.excluded} pairs excluded)` })}/>\n    </testcase>`;
  }
  const note = q.status === 'fixed' ? `fixed: ${q.fixed} of ${q.pairs} pairs went from not correct to correct` : `unchanged: ${q.candidatePass} of ${q.pairs} pairs correct`;
  return `${open}\n      <system-out>${xmlText(note)}</system-out>\n    </testcase>`;
}

/**
 * A comparison as JUnit XML: one test case per compared question (classname = matter, name = the
 * question id and what was asked), failing with both answers when the question regressed, skipped
 * when every pair of it was excluded; then one test case for the gate itself.
 */
export function renderCompareJunit(c: Comparison): string {
  const byQuestion = new Map<string, ComparedPair[]>();
  for (const p of c.regressedPairs) {
    const key = `${p.unit}\u0000${p.questionId}`;
    const list = byQuestion.get(key);
    if (list) list.push(p);
    else byQuestion.set(key, [p]);
  }
  const cases = c.questions.map((q) => compareCase(c, q, byQuestion.get(`${q.unit}\u0000${q.questionId}`) ?? []));
  const gateMessage = gateSummary(c).replace(/\*\*/g, '');
  cases.push(
    c.regression
      ? `    <testcase${attrs({ classname: 'govbench', name: 'regression gate' })}>\n      <failure${attrs({ message: gateMessage, type: 'regression-gate' })}>${xmlText(gateMessage)}</failure>\n    </testcase>`
      : `    <testcase${attrs({ classname: 'govbench', name: 'regression gate' })}>\n      <system-out>${xmlText(gateMessage)}</system-out>\n    </testcase>`,
  );
  const failures = c.questions.filter((q) => q.status === 'regressed' || q.status === 'mixed').length + (c.regression ? 1 : 0);
  const skipped = c.questions.filter((q) => q.status === 'excluded').length;
  const counts = { tests: cases.length, failures, errors: 0, skipped };
  const suiteName = `govbench compare ${comparisonTitle(c)}`;
  const d = c.scoreDelta;
  const properties = {
    baseline: `${c.baseline.id} (${c.baseline.targets.join(', ')})`,
    candidate: `${c.candidate.id} (${c.candidate.targets.join(', ')})`,
    pairs: c.pairs,
    fixed: c.fixed,
    regressed: c.regressed,
    pValue: fmtP(c.pValue),
    alpha: c.alpha,
    scoreDelta: d.value === null ? 'n/a' : `${d.value.toFixed(2)} [${d.low?.toFixed(2) ?? 'n/a'}, ${d.high?.toFixed(2) ?? 'n/a'}]`,
    criticalRegressions: c.criticalRegressions.join(', '),
    sharedQuestionsOnly: String(c.sharedQuestionsOnly),
    regression: String(c.regression),
  };
  return [
    `${XML_HEAD}<testsuites${attrs({ name: 'govbench compare', ...counts })}>`,
    `  <testsuite${attrs({ name: suiteName, ...counts })}>`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property${attrs({ name, value })}/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** What `report --format junit` renders. */
interface RunJunitInput {
  run: ReportRunMeta;
  targets: readonly { id: string; name: string }[];
  /** Every finished case, streamed (e.g. `store.caseRecords(run.id, run.judge)`); read once. */
  cases: Iterable<CaseRecord>;
  /** What a question asks, for test names; absent: names are question ids. */
  questionText?: (questionId: string) => string | undefined;
  /** The run's red-team probe records (`store.safetyRecords`): a test case per probe, failed when unsafe. */
  safety?: readonly SafetyRecord[];
}

/** One target's probe test cases: a failure per probe answered unsafely at least once. */
function safetyCases(records: readonly SafetyRecord[], targetId: string): { xml: string[]; failures: number } {
  const byProbe = new Map<string, SafetyRecord[]>();
  for (const r of records) if (r.targetId === targetId && r.verdict) byProbe.set(r.probeId, [...(byProbe.get(r.probeId) ?? []), r]);
  let failures = 0;
  const xml = [...byProbe].map(([id, rs]) => {
    const open = `    <testcase${attrs({ classname: `safety/${rs[0]!.category}`, name: id, time: '0.000' })}>`;
    const unsafe = rs.filter((r) => !r.verdict!.safe);
    if (unsafe.length === 0) return `${open}</testcase>`;
    failures++;
    const message = `${rs[0]!.critical ? 'critical probe: ' : ''}unsafe in ${unsafe.length} of ${rs.length} replies`;
    const body = xmlText(unsafe.map((r) => `${r.verdict!.rationale}\n${shorten(r.reply, 400)}`).join('\n\n'));
    return `${open}\n      <failure${attrs({ message, type: 'unsafe' })}>${body}</failure>\n    </testcase>`;
  });
  return { xml, failures };
}

/** One target's question over its variants and repeats: counts and a few lines of detail. */
interface QuestionTally {
  matterId: string;
  critical: boolean;
  cases: number;
  correct: number;
  /** Judged and not correct. */
  failing: number;
  unavailable: number;
  unjudged: number;
  seconds: number;
  errorKind: string | null;
  details: string[];
}

const DETAIL_LINES = 10;

function tally(t: QuestionTally, r: CaseRecord): void {
  t.cases++;
  if (r.totalMs !== null) t.seconds += r.totalMs / 1000;
  const where = `${r.style}${r.variant > 0 ? ` #${r.variant}` : ''}, repeat ${r.repeat}`;
  const detail = (line: string): void => {
    if (t.details.length < DETAIL_LINES) t.details.push(`${where}: ${line}`);
  };
  if (!r.available) {
    t.unavailable++;
    t.errorKind ??= r.errorKind ?? 'error';
    detail(`no reply (${r.errorKind ?? 'error'})`);
    return;
  }
  const v = r.verdict;
  if (v === null || v.status !== 'judged') t.unjudged++;
  else if (v.verdict === 'correct') t.correct++;
  else {
    t.failing++;
    detail(`${v.verdict}${v.rationale ? ` — ${v.rationale}` : ''}`);
  }
}

function runCase(questionId: string, t: QuestionTally, asked: string | undefined): string {
  const open = `    <testcase${attrs({ classname: t.matterId, name: testName(questionId, asked), time: t.seconds.toFixed(3) })}>`;
  const body = xmlText(t.details.join('\n'));
  if (t.failing > 0) {
    const message = `${t.critical ? 'critical question: ' : ''}${t.failing} of ${t.cases} cases not correct${t.unavailable > 0 ? `, ${t.unavailable} without a reply` : ''}`;
    return `${open}\n      <failure${attrs({ message, type: 'not-correct' })}>${body}</failure>\n    </testcase>`;
  }
  if (t.unavailable > 0) {
    const message = `${t.unavailable} of ${t.cases} cases got no reply`;
    return `${open}\n      <error${attrs({ message, type: t.errorKind ?? 'error' })}>${body}</error>\n    </testcase>`;
  }
  if (t.correct === 0) return `${open}\n      <skipped${attrs({ message: `unjudged (${t.unjudged} cases)` })}/>\n    </testcase>`;
  return `${open}</testcase>`;
}

/**
 * A run as JUnit XML, in chunks to write as they come: one test suite per target and one test case
 * per (target, question) over its variants and repeats — a failure when a judged case is not
 * `correct`, an error when only technical failures spoiled it, skipped when nothing was judged.
 * Cases are read once and folded into per-question tallies, so memory grows with targets × questions.
 */
export function* runJunitChunks(input: RunJunitInput): Generator<string> {
  const byTarget = new Map<string, Map<string, QuestionTally>>(input.targets.map((t) => [t.id, new Map()]));
  for (const r of input.cases) {
    // Probes are judged for safety, not accuracy: they get test cases of their own.
    if (r.style === PROBE_STYLE) continue;
    let questions = byTarget.get(r.targetId);
    if (!questions) byTarget.set(r.targetId, (questions = new Map()));
    let t = questions.get(r.questionId);
    if (!t) {
      t = { matterId: r.matterId, critical: r.critical, cases: 0, correct: 0, failing: 0, unavailable: 0, unjudged: 0, seconds: 0, errorKind: null, details: [] };
      questions.set(r.questionId, t);
    }
    tally(t, r);
  }
  const names = new Map(input.targets.map((t) => [t.id, t.name]));
  const countsOf = (qs: Iterable<QuestionTally>) => {
    const c = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
    for (const t of qs) {
      c.tests++;
      c.time += t.seconds;
      if (t.failing > 0) c.failures++;
      else if (t.unavailable > 0) c.errors++;
      else if (t.correct === 0) c.skipped++;
    }
    return c;
  };
  const safety = new Map(input.targets.map((t) => [t.id, safetyCases(input.safety ?? [], t.id)]));
  const all = countsOf([...byTarget.values()].flatMap((m) => [...m.values()]));
  for (const s of safety.values()) {
    all.tests += s.xml.length;
    all.failures += s.failures;
  }
  const label = input.run.label ?? input.run.id;
  yield `${XML_HEAD}<testsuites${attrs({ name: `govbench ${label}`, tests: all.tests, failures: all.failures, errors: all.errors, skipped: all.skipped, time: all.time.toFixed(3) })}>\n`;
  for (const [targetId, questions] of byTarget) {
    const c = countsOf(questions.values());
    const probes = safety.get(targetId) ?? { xml: [], failures: 0 };
    const suite = { name: `${names.get(targetId) ?? targetId} (${targetId})`, tests: c.tests + probes.xml.length, failures: c.failures + probes.failures, errors: c.errors, skipped: c.skipped, time: c.time.toFixed(3) };
    yield `  <testsuite${attrs({ ...suite, timestamp: input.run.startedAt.slice(0, 19) })}>\n`;
    const ids = [...questions.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const id of ids) yield `${runCase(id, questions.get(id)!, input.questionText?.(id))}\n`;
    for (const x of probes.xml) yield `${x}\n`;
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}

/** `runJunitChunks` joined. */
export function renderRunJunit(input: RunJunitInput): string {
  return [...runJunitChunks(input)].join('');
}
