import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCORE_NAMES } from '../src/domain/types.js';
import { displayWidth, escapeCell, truncate } from '../src/reports/format.js';
import { renderJson, toJsonReport } from '../src/reports/json.js';
import { renderLeaderboard } from '../src/reports/leaderboard.js';
import { renderMarkdown } from '../src/reports/markdown.js';
import { writeReport } from '../src/reports/write.js';
import { scoreRun } from '../src/scoring/score-run.js';
import { CASES, record, RUN, TARGETS } from './scoring-fixtures.js';

const model = scoreRun({ run: RUN, targets: TARGETS, cases: CASES, matters: [{ id: 'm1', name: '药品经营许可' }] });

describe('renderJson', () => {
  const json = JSON.parse(renderJson(model));

  it('keeps the keys of SPEC §6', () => {
    expect(Object.keys(json.run)).toEqual(['id', 'label', 'banksHash', 'judge', 'startedAt', 'finishedAt', 'status', 'environment']);
    // The fixture run predates recorded environments.
    expect(json.run).toEqual({ ...RUN, environment: null });
    for (const t of json.targets) {
      expect(t).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          name: expect.any(String),
          region: expect.any(String),
          cases: expect.any(Number),
          errors: expect.any(Number),
        }),
      );
      expect(t).toHaveProperty('grade');
      expect(Object.keys(t.latency)).toEqual(expect.arrayContaining(['p50Ms', 'p95Ms']));
      expect(Object.keys(t.scores)).toEqual([...SCORE_NAMES]);
      expect(Object.keys(t.intervals)).toEqual([...SCORE_NAMES]);
    }
    for (const r of json.regions) expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'scores', 'best']));
    for (const m of json.matters) expect(Object.keys(m)).toEqual(expect.arrayContaining(['id', 'scores']));
  });

  it('puts scores on 0–100 rounded to 2 decimals, intervals as [low, high], latency in whole ms', () => {
    const sh = json.targets.find((t: { id: string }) => t.id === 'shanghai');
    expect(sh).toMatchObject({ name: '上海', region: 'east', grade: 'average', cases: 7, errors: 1, unjudged: 1, rank: 3, tied: false });
    expect(sh.scores).toEqual({ intent: 60, accuracy: 50, availability: 85.71, responsiveness: 75, technicalSupport: 62.64 });
    expect(sh.intervals.technicalSupport).toEqual([25, 87.5]);
    expect(sh.latency).toEqual({ p50Ms: 3000, p95Ms: 26625, totalP50Ms: 3500, totalP95Ms: 27125 });
    expect(json.regions.find((r: { id: string }) => r.id === 'east')).toMatchObject({ best: 'hangzhou', scores: { technicalSupport: 81.32 } });
    expect(json.matters[0]).toMatchObject({ id: 'm1', name: '药品经营许可', scores: { technicalSupport: 90.75 } });
  });

  it('writes null where nothing could be measured', () => {
    const wh = json.targets.find((t: { id: string }) => t.id === 'wuhan');
    expect(wh).toMatchObject({ grade: null, rank: null, latency: { p50Ms: null, p95Ms: null } });
    expect(wh.scores.accuracy).toBeNull();
    expect(wh.intervals.accuracy).toBeNull();
  });

  it('carries the scoring configuration and a report version', () => {
    expect(json.config.weights).toEqual({ accuracy: 0.4, intent: 0.3, availability: 0.2, responsiveness: 0.1 });
    expect(json.reportVersion).toBe(1);
    expect(toJsonReport(model).targets).toHaveLength(4);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(model);

  it('shows the leaderboard with grades, intervals and tie markers', () => {
    expect(md).toContain('## Leaderboard');
    expect(md).toMatch(/^\| =1 \| 杭州 \| east \(华东\) \| excellent \(优秀\) \| 100\.0 \| 100\.0–100\.0 \|/m);
    expect(md).toMatch(/^\| =1 \| 北京 \|.*\| 93\.3 \| 80\.0–100\.0 \|/m);
    expect(md).toMatch(/^\| 3 \| 上海 \|.*average \(一般\) \| 62\.6 \| 25\.0–87\.5 \|/m);
    expect(md).toMatch(/^\| — \| 武汉 \|/m);
  });

  it('lists rank intervals and grade ranges, and says when no calibration was looked up for a correction', () => {
    expect(md).toContain('## Rank intervals and judge-corrected accuracy');
    expect(md).toMatch(/^\| 北京 \| 1–2 \| good–excellent \| — \| — \| — \|$/m);
    expect(md).toMatch(/^\| 上海 \| 3 \| poor–excellent \|/m);
    expect(md).toMatch(/^\| 杭州 \| 1 \| — \|/m);
    expect(md).not.toMatch(/Corrected: the share/);
  });

  it('shows regions with their best city, matters, robustness and confusions', () => {
    expect(md).toMatch(/^\| east \(华东\) \| 2 \| 81\.3 \|.*\| 杭州 \|$/m);
    expect(md).toMatch(/^\| 药品经营许可 \(m1\) \| 8 \| 1 \| 90\.8 \|/m);
    expect(md).toMatch(/^\| colloquial \| 2 \| 25\.0 \| \+75\.0 \| 50\.0 \| \+50\.0 \| 52\.5 \| \+47\.5 \|$/m);
    expect(md).toMatch(/### 上海 \(shanghai\)\n\n\| Asked \| Addressed instead \| Answers \| Share \|\n\|---\|---\|---:\|---:\|\n\| m1\/b \| m2\/a \| 1 \| 50% \|/);
  });

  it('prints the scoring configuration', () => {
    expect(md).toContain('Technical support = 0.4·accuracy + 0.3·intent + 0.2·availability + 0.1·responsiveness');
    expect(md).toContain('excellent ≥ 85, good ≥ 70, average ≥ 60');
    expect(md).toContain('1000 iterations, seed 20240501');
    const custom = renderMarkdown(scoreRun({ run: RUN, targets: TARGETS, cases: CASES, config: { grades: { excellent: 90 } } }));
    expect(custom).toContain('excellent ≥ 90');
  });

  it('flags unjudged cases and unfinished runs', () => {
    expect(md).toContain('1 available case unjudged');
    const running = renderMarkdown(scoreRun({ run: { ...RUN, status: 'interrupted', finishedAt: null }, targets: TARGETS, cases: CASES }));
    expect(running).toContain('The run is **interrupted**');
  });

  it('escapes table cells: pipes, line breaks and control characters', () => {
    expect(escapeCell('a|b\nc\r\nd\u001b[31m')).toBe('a\\|b<br>c<br>d');
    const evil = scoreRun({
      run: RUN,
      targets: [{ id: 'x', name: 'Evil | city\n| injected | row |', region: 'east' }],
      cases: [record({ target: 'x', q: 'q1', v: ['correct', true, 1, 'm1/a'] })],
    });
    const text = renderMarkdown(evil);
    const row = text.split('\n').find((l) => l.includes('Evil'))!;
    expect(row).toContain('Evil \\| city<br>\\| injected \\| row \\|');
    // The row keeps its 15 columns: 16 unescaped pipes.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(16);
  });
});

describe('renderLeaderboard', () => {
  it('lists targets by rank with tie markers and fits the width', () => {
    const text = renderLeaderboard(model, { width: 100 });
    const lines = text.split('\n');
    expect(lines.every((l) => displayWidth(l) <= 100)).toBe(true);
    const header = lines.find((l) => l.includes('Target'))!;
    expect(header).toMatch(/#\s+Target\s+Grade\s+Tech\s+95% CI\s+Acc\s+Intent\s+Avail\s+Resp\s+p50\s+Err\s+Unj/);
    expect(lines.find((l) => l.includes('杭州'))).toMatch(/^\s+=1\s+杭州\s+excellent\s+100\.0\s+100\.0–100\.0/);
    expect(lines.find((l) => l.includes('上海'))).toMatch(/^\s+3\s+上海\s+average\s+62\.6\s+25\.0–87\.5\s+50\.0/);
    expect(text).toContain('= tied');
  });

  it('drops the less important columns on a narrow terminal', () => {
    const text = renderLeaderboard(model, { width: 40 });
    expect(text.split('\n').every((l) => displayWidth(l) <= 40)).toBe(true);
    const header = text.split('\n').find((l) => l.includes('Target'))!;
    // The interval (11 columns) no longer fits; the narrower accuracy column still does.
    expect(header).toMatch(/^\s+#\s+Target\s+Grade\s+Tech\s+Acc$/);
  });

  it('never prints escape sequences from names', () => {
    const evil = scoreRun({
      run: { ...RUN, label: 'x\u001b]0;pwned\u0007' },
      targets: [{ id: 'x', name: '\u001b[2J北京\u202e市', region: 'north' }],
      cases: [],
    });
    const text = renderLeaderboard(evil, { width: 80 });
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(text).toContain(' 北京市 ');
    expect(text).not.toMatch(/\[2J|\]0;|pwned/);
  });
});

describe('terminal text helpers', () => {
  it.each([
    ['abc', 3],
    ['北京', 4],
    ['上海 A', 6],
  ])('%s takes %i columns', (s, w) => expect(displayWidth(s)).toBe(w));

  it('truncates by columns with an ellipsis', () => {
    expect(truncate('乌鲁木齐市', 6)).toBe('乌鲁…');
    expect(truncate('abc', 3)).toBe('abc');
  });
});

describe('writeReport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'govbench-reports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the format the extension names, creating folders', () => {
    const json = writeReport(model, join(dir, 'a', 'report.json'));
    expect(JSON.parse(readFileSync(json, 'utf8')).run.id).toBe('run-1');
    const md = writeReport(model, join(dir, 'report.md'));
    expect(readFileSync(md, 'utf8')).toBe(renderMarkdown(model));
  });
});
