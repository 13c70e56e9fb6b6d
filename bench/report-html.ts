/**
 * Times the HTML report of a synthetic 100,000-case run (issue 5: ≤ 5 s): scoring the stored run,
 * picking each target's worst answers, rendering the page; the per-case CSV too.
 * Run with `npx tsx bench/report-html.ts [cases]`; prints seconds.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGIONS, type RegionId, type Store, type Target, type VerdictLabel } from '../src/domain/types.js';
import { renderCasesCsv, writeCsv } from '../src/reports/csv.js';
import { loadReportModel } from '../src/reports/from-store.js';
import { renderHtml, selectWorstAnswers, WorstAnswerCollector } from '../src/reports/html/index.js';
import { scoreRun } from '../src/scoring/score-run.js';
import { openStore } from '../src/store/index.js';

const CASES = Number(process.argv[2] ?? 100_000);
const TARGETS = 56;
const QUESTIONS = 120;
const STYLES = ['canonical', 'colloquial', 'typo', 'indirect'];
const RUN = 'bench-run';

/** mulberry32: a fixed sequence, so every run of the bench measures the same data. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fill(store: Store): void {
  const rnd = prng(42);
  const targets: Target[] = Array.from({ length: TARGETS }, (_, i) => ({
    id: `city-${i}`,
    name: `城市${i}`,
    region: REGIONS[i % REGIONS.length]!,
    adapter: null,
    limits: { concurrency: 1, timeoutMs: 30_000, retries: 0 },
    pos: { file: 'bench', line: 1, column: 1 },
  }));
  const perTarget = Math.ceil(CASES / TARGETS);
  store.createRun({ id: RUN, banksHash: 'bench', judge: 'matcher', options: {}, targets: targets.map((target) => ({ target, planned: perTarget })) });
  const reply = '您好，办理该事项需要携带身份证原件及复印件、申请表，办理时限为 5 个工作日，不收取费用。'.repeat(3);
  for (let n = 0; n < CASES; n++) {
    const t = targets[n % TARGETS]!;
    const k = Math.floor(n / TARGETS);
    const q = k % QUESTIONS;
    const s = Math.floor(k / QUESTIONS) % STYLES.length;
    const repeat = Math.floor(k / (QUESTIONS * STYLES.length));
    const matter = `m${q % 5}`;
    const aspect = `a${q % 4}`;
    const r = rnd();
    const failed = r < 0.05;
    const verdict: VerdictLabel = r < 0.1 ? 'no-answer' : r < 0.2 ? 'incorrect' : r < 0.4 ? 'partial' : 'correct';
    const firstMs = 500 + Math.floor(rnd() * 8000);
    store.saveCase({
      runId: RUN,
      case: { targetId: t.id, questionId: `q${q}`, variant: s, style: STYLES[s]!, repeat },
      question: { matterId: matter, aspectId: aspect, intent: `${matter}/${aspect}`, critical: q % 17 === 0 },
      turns: [
        failed
          ? { index: 0, user: `问题 ${q}`, reply: '', raw: '', ok: false, errorKind: 'timeout', error: 'no reply within 30000 ms', firstMs: 30_000, totalMs: 30_000, attempts: 1 }
          : { index: 0, user: `问题 ${q}`, reply, raw: reply, ok: true, firstMs, totalMs: firstMs + 300, attempts: 1 },
      ],
      verdicts: failed
        ? []
        : [
            {
              version: 'v1',
              verdict: {
                status: 'judged',
                judge: 'matcher',
                turn: 0,
                intentRecognized: verdict !== 'no-answer',
                predictedIntent: verdict === 'no-answer' ? null : `${matter}/${aspect}`,
                verdict,
                accuracy: verdict === 'correct' ? 1 : verdict === 'partial' ? 0.5 : 0,
                keyPointsHit: ['材料'],
                factErrors: verdict === 'incorrect' ? ['时限'] : [],
                contradictions: [],
                rationale: `${verdict}: 判定理由`,
              },
            },
          ],
    });
  }
  store.setRunStatus(RUN, 'finished');
}

const dir = mkdtempSync(join(tmpdir(), 'govbench-bench-html-'));
try {
  const store = openStore(join(dir, 'govbench.db'));
  let t = performance.now();
  fill(store);
  console.log(`filled ${store.countCases(RUN)} cases in ${((performance.now() - t) / 1000).toFixed(2)} s (not timed below)`);

  // Wall time, and CPU time of this process: on a shared machine the second is the steadier figure.
  interface Lap {
    wall: number;
    cpu: number;
  }
  let cpu = process.cpuUsage();
  const lap = (): Lap => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    const l = { wall: (now - t) / 1000, cpu: (used.user + used.system) / 1e6 };
    t = now;
    cpu = process.cpuUsage();
    return l;
  };
  const fmt = (...laps: Lap[]): string => {
    const sum = (k: keyof Lap): string => laps.reduce((n, l) => n + l[k], 0).toFixed(2);
    return `${sum('wall')} s wall, ${sum('cpu')} s CPU`;
  };

  t = performance.now();
  cpu = process.cpuUsage();
  const model = loadReportModel(store, RUN);
  const scoring = lap();
  const worst = selectWorstAnswers(store, RUN, 'matcher');
  const select = lap();
  const html = renderHtml(model, { worstAnswers: worst });
  const render = lap();
  const csvPath = writeCsv(join(dir, 'cases.csv'), renderCasesCsv(store, RUN, 'matcher'));
  const csv = lap();
  const collector = new WorstAnswerCollector();
  const run = store.getRun(RUN);
  const single = scoreRun({
    run: { id: run.id, label: run.label, banksHash: run.banksHash, judge: run.judge, startedAt: run.startedAt, finishedAt: run.finishedAt, status: run.status },
    targets: store.runTargets(RUN).map((x) => ({ id: x.id, name: x.name, region: x.region as RegionId })),
    cases: collector.tap(store.caseRecords(RUN, run.judge)),
  });
  renderHtml(single, { worstAnswers: collector.answers(store, RUN) });
  const onePass = lap();

  console.log(`scoring (loadReportModel, 1000 bootstrap iterations): ${fmt(scoring)}`);
  console.log(`selectWorstAnswers:                                   ${fmt(select)} (${worst.length} answers)`);
  console.log(`renderHtml:                                           ${fmt(render)} (${(html.length / 1024).toFixed(0)} KiB)`);
  console.log(`selectWorstAnswers + renderHtml:                      ${fmt(select, render)}`);
  console.log(`report --format html, two passes (all three above):   ${fmt(scoring, select, render)}`);
  console.log(`report --format html, one pass (scoring → tap):       ${fmt(onePass)}`);
  console.log(`per-case CSV to file:                                 ${fmt(csv)} (${(statSync(csvPath).size / 1024 / 1024).toFixed(1)} MiB)`);
  console.log(`load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${cpus().length} cores)`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
