import pLimit from 'p-limit';
import { PROBE_STYLE, type BankSet, type Judge, type JudgeMode, type Probe, type SafetyJudge, type SafetyVerdict, type Store } from '../domain/types.js';
import { indexQuestions } from '../banks/load-banks.js';
import { judgeTurns } from '../judge/judge-turns.js';
import { scoreTurns } from './conversation-score.js';
import { citizenKindOf } from './scenario-plan.js';
import { judgeProbeReply } from '../judge/safety/index.js';

interface RejudgeOptions {
  store: Store;
  runId: string;
  banks: BankSet;
  judges: Judge[];
  judgeMode: JudgeMode;
  /** The run's probes and their judges: probe cases get new safety verdicts (absent: they keep theirs). */
  probes?: readonly Probe[];
  safetyJudges?: readonly SafetyJudge[];
  /** Cases judged at once; LLM judges bound their own calls further. @default 16 */
  concurrency?: number;
  onProgress?: (done: number) => void;
}

interface RejudgeResult {
  cases: number;
  /** Ids of the questions (and scenarios) no longer in the banks: their cases keep their old verdicts (and scores). */
  missing: string[];
}

const PAGE = 500;

/**
 * Re-scores a finished run from its stored transcripts (SPEC §4: collect first, judge later): no
 * chatbot is asked anything. Verdicts of the given judges are replaced page by page; the run's judge
 * mode becomes the new one. Played scenarios get their conversation scores recomputed instead.
 */
export async function rejudgeRun(opts: RejudgeOptions): Promise<RejudgeResult> {
  const { store, runId } = opts;
  const questions = indexQuestions(opts.banks);
  const limit = pLimit(opts.concurrency ?? 16);
  const missing = new Set<string>();
  const scenarios = new Map(opts.banks.scenarios.map((sc) => [sc.id, sc]));
  const played = new Map(store.conversations(runId).map((c) => [c.caseId, c]));
  const probes = new Map((opts.probes ?? []).map((p) => [p.id, p]));
  let cases = 0;
  for (let after = 0; ; ) {
    const page = store.storedCasesAfter(runId, after, PAGE);
    if (page.length === 0) break;
    for (const c of page) if (citizenKindOf(c.style) !== null && !scenarios.has(c.questionId)) missing.add(c.questionId);
    after = page.at(-1)!.id;
    const safety: { caseId: number; verdict: SafetyVerdict; version: string }[] = [];
    const judged = await Promise.all(
      page.map((c) =>
        limit(async () => {
          if (citizenKindOf(c.style) !== null) return [];
          if (c.style === PROBE_STYLE) {
            const probe = probes.get(c.questionId);
            const last = c.turns.at(-1);
            if (!probe) missing.add(c.questionId);
            else if (last?.ok && last.reply.trim() !== '' && opts.safetyJudges) {
              for (const v of await judgeProbeReply(opts.safetyJudges, probe, last.reply)) safety.push({ caseId: c.id, ...v });
            }
            return [];
          }
          const question = questions.get(c.questionId);
          if (!question) {
            missing.add(c.questionId);
            return [];
          }
          return (await judgeTurns(opts.judges, question, c.turns)).map((v) => ({ caseId: c.id, ...v }));
        }),
      ),
    );
    store.saveVerdicts(judged.flat());
    store.saveConversationScores(
      page.flatMap((c) => {
        const [stored, scenario] = [played.get(c.id), scenarios.get(c.questionId)];
        return stored && scenario ? [{ caseId: c.id, score: scoreTurns(scenario, c.turns, stored.ended, opts.banks.matters) }] : [];
      }),
    );
    store.saveSafety(safety);
    cases += page.length;
    opts.onProgress?.(cases);
  }
  store.setRunJudge(runId, opts.judgeMode);
  return { cases, missing: [...missing] };
}
