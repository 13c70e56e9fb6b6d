import {
  caseKey,
  caseFailure,
  effectiveSafety,
  PROBE_STYLE,
  REVIEW_JUDGE,
  RULES_JUDGE,
  type CaseKey,
  type CaseRecord,
  type ConversationEnd,
  type ConversationScore,
  type JudgedVerdict,
  type JudgeUsageRow,
  type ModelUsage,
  type ReviewItem,
  type RunRow,
  type RunTargetRow,
  type SafetyRecord,
  type SafetyVerdict,
  type Store,
  type StoredCase,
  type Turn,
  type Verdict,
} from '../domain/types.js';
import { judgeOfRecord, LLM_JUDGE, MATCHER_JUDGE } from '../judge/modes.js';
import { UserError } from '../util/errors.js';
import { BUG, caseRecordOf } from './case-outcome.js';
import { memoryCalibrations } from './memory-calibrations.js';

const PATH = ':memory:';

interface MemoryCase {
  id: number;
  runId: string;
  record: Omit<CaseRecord, 'verdict' | 'failure'>;
  turns: Turn[];
  /** By `${judge} ${turn}`: one verdict per judge and turn, as the SQLite table's key. */
  verdicts: Map<string, Verdict>;
  /** The judge version of each verdict, by the same key. */
  versions: Map<string, string>;
  conversation?: { ended: ConversationEnd | null; score: ConversationScore };
  /** By judge, as the SQLite table's key. */
  safety: Map<string, SafetyVerdict>;
}

/**
 * A Store in plain maps, for tests that need no file. It keeps what the SQLite store keeps,
 * copies values in and out as a database would, and fails where the database's constraints would.
 */
export function createMemoryStore(): Store {
  const runs = new Map<string, { row: RunRow; targets: RunTargetRow[] }>();
  /** In id order; a new case takes the highest id + 1, as SQLite's rowid does. */
  const cases: MemoryCase[] = [];
  const byKey = new Map<string, MemoryCase>();
  const cache = new Map<string, string>();
  const paid = new Map<string, { model: string; promptTokens: number; completionTokens: number }>();
  const usage = new Map<string, Map<string, JudgeUsageRow>>();

  const mustHaveRun = (runId: string) => {
    if (!runs.has(runId)) throw new Error(`[govbench] [store] no run "${runId}" to write to`);
  };
  const keyOf = (runId: string, key: CaseKey) => `${runId}\u0000${caseKey(key)}`;
  const casesOf = (runId: string) => cases.filter((c) => c.runId === runId);
  const caseById = (id: number) => cases.find((c) => c.id === id);
  const stored = ({ id, record: r, turns }: MemoryCase): StoredCase => ({
    id,
    targetId: r.targetId,
    questionId: r.questionId,
    variant: r.variant,
    style: r.style,
    repeat: r.repeat,
    turns: turns.map(copyTurn),
  });
  // Newest first; the sort is stable, so runs started in one instant stay newest-created first.
  const listRuns = () => [...runs.values()].reverse().sort((a, b) => compare(b.row.startedAt, a.row.startedAt));

  const store: Store = {
    path: PATH,
    judgeCache: {
      get(key) {
        const json = cache.get(key);
        return json === undefined ? undefined : (JSON.parse(json) as JudgedVerdict);
      },
      set: (entry) => {
        cache.set(entry.key, JSON.stringify(entry.verdict));
        const promptTokens = entry.usage?.promptTokens ?? 0;
        if (promptTokens > 0) paid.set(entry.key, { model: entry.model, promptTokens, completionTokens: entry.usage?.completionTokens ?? 0 });
        else paid.delete(entry.key);
      },
    },
    modelUsage(model) {
      const sum: ModelUsage = { calls: 0, promptTokens: 0, completionTokens: 0 };
      for (const p of paid.values()) {
        if (p.model !== model) continue;
        sum.calls += 1;
        sum.promptTokens += p.promptTokens;
        sum.completionTokens += p.completionTokens;
      }
      return sum;
    },

    createRun(opts) {
      if (runs.has(opts.id)) throw new Error(`[govbench] [store] run "${opts.id}" exists already`);
      const row: RunRow = {
        id: opts.id,
        label: opts.label ?? null,
        banksHash: opts.banksHash,
        judge: opts.judge,
        options: JSON.parse(JSON.stringify(opts.options)) as Record<string, unknown>,
        startedAt: new Date().toISOString(),
        finishedAt: null,
        status: 'running',
        environment: opts.environment ? { ...opts.environment } : null,
      };
      const targets = opts.targets.map(({ target: t, planned }) => ({
        id: t.id,
        name: t.name,
        region: t.region,
        province: t.province ?? null,
        role: t.role ?? null,
        adapterType: t.adapter?.type ?? 'none',
        planned,
      }));
      runs.set(opts.id, { row, targets });
    },
    setRunStatus(runId, status) {
      const run = runs.get(runId);
      if (run) Object.assign(run.row, { status, finishedAt: status === 'running' ? null : new Date().toISOString() });
    },
    setRunJudge(runId, judge) {
      const run = runs.get(runId);
      if (run) run.row.judge = judge;
    },
    getRun(idOrLatest) {
      const run = idOrLatest === 'latest' ? listRuns()[0] : runs.get(idOrLatest);
      if (!run) {
        throw new UserError(idOrLatest === 'latest' ? `${PATH}: no runs yet` : `${PATH}: no run "${idOrLatest}"`, 'list runs with `govbench runs`');
      }
      return copyRun(run.row);
    },
    listRuns: () => listRuns().map((r) => copyRun(r.row)),
    runTargets: (runId) => (runs.get(runId)?.targets ?? []).map((t) => ({ ...t })),

    saveCase(o) {
      mustHaveRun(o.runId);
      const key = keyOf(o.runId, o.case);
      const old = byKey.get(key);
      const name = `${o.runId}/${o.case.targetId}/${o.case.questionId}/${o.case.variant}/${o.case.repeat}`;
      if (old && old.record.errorKind !== BUG) throw new Error(`[govbench] [store] case ${name} is stored already`);
      if (new Set(o.turns.map((t) => t.index)).size !== o.turns.length) throw new Error(`[govbench] [store] case ${name}: two turns with one index`);
      if (old) cases.splice(cases.indexOf(old), 1);
      const c: MemoryCase = {
        id: (cases.at(-1)?.id ?? 0) + 1,
        runId: o.runId,
        record: caseRecordOf(o),
        turns: o.turns.map(copyTurn).sort((a, b) => a.index - b.index),
        verdicts: new Map(o.verdicts.map(({ verdict: v }) => [`${v.judge} ${v.turn}`, copyVerdict(v)])),
        versions: new Map(o.verdicts.map(({ verdict: v, version }) => [`${v.judge} ${v.turn}`, version])),
        ...(o.conversation && { conversation: { ended: o.conversation.ended, score: copyScore(o.conversation.score) } }),
        safety: new Map((o.safety ?? []).map(({ verdict: v }) => [v.judge, copySafety(v)])),
      };
      cases.push(c);
      byKey.set(key, c);
      return c.id;
    },
    finishedCases: (runId) =>
      casesOf(runId)
        .filter((c) => c.record.errorKind !== BUG)
        .map(({ record: r }) => ({ targetId: r.targetId, questionId: r.questionId, variant: r.variant, repeat: r.repeat })),
    countCases: (runId) => casesOf(runId).length,
    *caseRecords(runId, judge, filter = {}) {
      for (const c of casesOf(runId)) {
        if (filter.targetId !== undefined && c.record.targetId !== filter.targetId) continue;
        let effective: Verdict | null = null;
        for (const v of c.verdicts.values()) {
          if (v.judge !== REVIEW_JUDGE && v.judge !== judge) continue;
          if (!effective || v.turn > effective.turn || (v.turn === effective.turn && v.judge === REVIEW_JUDGE)) effective = v;
        }
        yield { ...c.record, verdict: effective && copyVerdict(effective), failure: caseFailure(c.record.errorKind, effective) };
      }
    },
    *storedCases(runId) {
      for (const c of casesOf(runId)) if (c.turns.length > 0) yield stored(c);
    },
    storedCasesAfter: (runId, afterId, limit) =>
      casesOf(runId)
        .filter((c) => c.id > afterId)
        .slice(0, limit)
        .map(stored),
    turnsOf: (runId, key) => (byKey.get(keyOf(runId, key))?.turns ?? []).map(copyTurn),

    saveVerdicts(items) {
      const targets = items.map((i) => caseById(i.caseId));
      const missing = items.find((_, n) => !targets[n]);
      if (missing) throw new Error(`[govbench] [store] no case ${missing.caseId} to judge`);
      items.forEach((i, n) => {
        targets[n]!.verdicts.set(`${i.verdict.judge} ${i.verdict.turn}`, copyVerdict(i.verdict));
        targets[n]!.versions.set(`${i.verdict.judge} ${i.verdict.turn}`, i.version);
      });
    },
    verdictsOf: (caseId) =>
      [...(caseById(caseId)?.verdicts.values() ?? [])].sort((a, b) => a.turn - b.turn || compare(a.judge, b.judge)).map(copyVerdict),
    saveSafety(items) {
      const targets = items.map((i) => caseById(i.caseId));
      const missing = items.find((_, n) => !targets[n]);
      if (missing) throw new Error(`[govbench] [store] no case ${missing.caseId} to judge`);
      items.forEach((i, n) => targets[n]!.safety.set(i.verdict.judge, copySafety(i.verdict)));
    },
    safetyOf: (caseId) => safetyOf(caseById(caseId)),
    safetyRecords: (runId) =>
      casesOf(runId)
        .filter((c) => c.record.style === PROBE_STYLE)
        .map((c) => ({
          targetId: c.record.targetId,
          probeId: c.record.questionId,
          category: c.record.aspectId as SafetyRecord['category'],
          critical: c.record.critical,
          repeat: c.record.repeat,
          verdict: effectiveSafety(safetyOf(c)),
          reply: c.turns.at(-1)?.reply ?? '',
        })),
    reviewQueue(runId) {
      const record = judgeOfRecord(store.getRun(runId).judge);
      const queue: ReviewItem[] = [];
      for (const c of casesOf(runId)) {
        const judged = (judge: string, turn: number) => {
          const v = c.verdicts.get(`${judge} ${turn}`);
          return v?.status === 'judged' ? (copyVerdict(v) as JudgedVerdict) : undefined;
        };
        for (const { index: turn, user, reply } of c.turns) {
          if (c.verdicts.has(`${REVIEW_JUDGE} ${turn}`)) continue;
          const { targetId, questionId, matterId, intent, variant, style } = c.record;
          const item = { caseId: c.id, targetId, questionId, matterId, intent, variant, style, turn, user, reply };
          const abstained = judged(record, turn);
          const [matcher, llm] = [judged(MATCHER_JUDGE, turn), judged(LLM_JUDGE, turn)];
          if (abstained?.uncertain !== undefined) queue.push({ ...item, matcher: abstained, llm: null, uncertain: abstained.uncertain });
          else if (matcher && llm && (matcher.verdict !== llm.verdict || matcher.intentRecognized !== llm.intentRecognized)) {
            queue.push({ ...item, matcher, llm, uncertain: null });
          }
        }
      }
      return queue;
    },

    conversations: (runId) =>
      casesOf(runId).flatMap(({ id, record: r, turns, conversation: v }) =>
        v
          ? [{ caseId: id, targetId: r.targetId, scenarioId: r.questionId, style: r.style, repeat: r.repeat, available: r.available,
               errorKind: r.errorKind, ended: v.ended, score: copyScore(v.score), turns: turns.length }]
          : [],
      ),
    saveConversationScores(items) {
      const targets = items.map((i) => caseById(i.caseId)?.conversation);
      const missing = items.find((_, n) => !targets[n]);
      if (missing) throw new Error(`[govbench] [store] no conversation ${missing.caseId} to score`);
      items.forEach((i, n) => (targets[n]!.score = copyScore(i.score)));
    },

    addJudgeUsage(runId, delta) {
      mustHaveRun(runId);
      const rows = usage.get(runId) ?? new Map<string, JudgeUsageRow>();
      usage.set(runId, rows);
      const row = rows.get(delta.judge) ?? { judge: delta.judge, calls: 0, cached: 0, failures: 0, promptTokens: 0, completionTokens: 0 };
      rows.set(delta.judge, {
        judge: delta.judge,
        calls: row.calls + delta.calls,
        cached: row.cached + delta.cached,
        failures: row.failures + delta.failures,
        promptTokens: row.promptTokens + delta.promptTokens,
        completionTokens: row.completionTokens + delta.completionTokens,
      });
    },
    judgeUsage: (runId) => [...(usage.get(runId)?.values() ?? [])].sort((a, b) => compare(a.judge, b.judge)).map((u) => ({ ...u })),

    ...memoryCalibrations(),
    judgeVersions(runId, judge) {
      const counts = new Map<string, number>();
      for (const c of casesOf(runId)) {
        for (const [k, v] of c.verdicts) if (v.judge === judge) counts.set(c.versions.get(k)!, (counts.get(c.versions.get(k)!) ?? 0) + 1);
      }
      return [...counts].map(([version, verdicts]) => ({ version, verdicts })).sort((a, b) => b.verdicts - a.verdicts || compare(a.version, b.version));
    },

    // Nothing to release: the maps go with the store.
    close() {},
  };
  return store;
}

/** A case's safety verdicts in the order the SQLite store gives them: the rules first, then by judge. */
function safetyOf(c: MemoryCase | undefined): SafetyVerdict[] {
  const all = [...(c?.safety.values() ?? [])];
  return all.sort((a, b) => Number(a.judge !== RULES_JUDGE) - Number(b.judge !== RULES_JUDGE) || compare(a.judge, b.judge)).map(copySafety);
}

function copySafety(v: SafetyVerdict): SafetyVerdict {
  return { judge: v.judge, safe: v.safe, reason: v.reason, evidence: [...v.evidence], rationale: v.rationale };
}

/** Text order as SQLite's default collation sorts it (by code point, for the names stored here). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function copyRun(r: RunRow): RunRow {
  return { ...r, options: JSON.parse(JSON.stringify(r.options)) as Record<string, unknown>, environment: r.environment ? { ...r.environment } : null };
}

/** A turn with the fields a stored one has: absent optional ones stay absent. */
function copyTurn(t: Turn): Turn {
  return {
    index: t.index,
    user: t.user,
    reply: t.reply,
    raw: t.raw,
    ok: t.ok,
    ...(t.errorKind != null && { errorKind: t.errorKind }),
    ...(t.error != null && { error: t.error }),
    ...(t.httpStatus != null && { httpStatus: t.httpStatus }),
    firstMs: t.firstMs,
    totalMs: t.totalMs,
    attempts: t.attempts,
    ...(t.usage && { usage: { promptTokens: t.usage.promptTokens, completionTokens: t.usage.completionTokens } }),
    ...(t.screenshot != null && { screenshot: t.screenshot }),
    ...(t.suggestions?.length && { suggestions: [...t.suggestions] }),
    ...(t.suggestionsOnly && { suggestionsOnly: true }),
    ...(t.links?.length && { links: t.links.map((l) => ({ ...l })) }),
    ...(t.followed && { followed: true }),
    ...(t.at != null && { at: t.at }),
  };
}

function copyScore(s: ConversationScore): ConversationScore {
  return JSON.parse(JSON.stringify(s)) as ConversationScore;
}

/** A verdict with the fields a stored one has. */
function copyVerdict(v: Verdict): Verdict {
  if (v.status === 'unjudged') return { status: 'unjudged', judge: v.judge, turn: v.turn, reason: v.reason };
  return {
    status: 'judged',
    judge: v.judge,
    turn: v.turn,
    intentRecognized: v.intentRecognized,
    predictedIntent: v.predictedIntent ?? null,
    verdict: v.verdict,
    accuracy: v.accuracy,
    keyPointsHit: [...v.keyPointsHit],
    factErrors: [...v.factErrors],
    contradictions: [...v.contradictions],
    ...(v.outdated && { outdated: [...v.outdated] }),
    ...(v.confidence != null && { confidence: v.confidence }),
    ...(v.uncertain != null && { uncertain: v.uncertain }),
    ...(v.failure != null && { failure: v.failure }),
    rationale: v.rationale,
  };
}
