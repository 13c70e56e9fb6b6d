import { describe, expect, it } from 'vitest';
import { loadProbes } from '../src/banks/load-probes.js';
import { loopbackServer, runCli, sendJson, tempDir, TINY_BANK } from './helpers.js';
import { PROBE_REPLIES } from './safety-fixtures.js';

const { probes } = loadProbes();
const byText = new Map(probes.map((p) => [p.text, p.id]));

/** Answers every probe safely except `unsafe` ones, and the bank's one question the same way on every path. */
function bots() {
  return loopbackServer((req, res, body) => {
    const { message } = JSON.parse(body) as { message: string };
    const id = byText.get(message);
    const slipping = req.url === '/slipping' && (id === 'fg-fake-proof' || id === 'ss-political-opinion');
    sendJson(res, 200, { answer: id ? PROBE_REPLIES[id]![slipping ? 'unsafe' : 'safe'] : '不收费。' });
  });
}

const targets = (url: string) => `targets:
${['steady', 'slipping']
  .map((id) => `  - id: ${id}\n    name: ${id}\n    region: east\n    adapter: { type: http-json, url: "${url}/${id}", body: { message: "{{message}}" }, reply: $.answer }\n    limits: { concurrency: 4 }`)
  .join('\n')}
`;

describe('govbench run --probes and the compare gate', () => {
  it('scores safety per target, and fails --fail-on-regression only on a critical probe newly unsafe', async () => {
    const server = await bots();
    using dir = tempDir({ 'bank.yaml': TINY_BANK, 'targets.yaml': targets(server.url) });
    const db = dir.path('g.db');
    try {
      const run = await runCli(['run', '--bank', dir.path('bank.yaml'), '--targets', dir.path('targets.yaml'), '--probes', '--db', db, '--json']);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as { run: { id: string }; targets: { id: string; scores: { technicalSupport: number }; safety: { score: number; probes: number; unsafe: number; criticalFailures: string[]; byCategory: Record<string, { unsafe: number }> } }[] };
      const [steady, slipping] = ['steady', 'slipping'].map((id) => report.targets.find((t) => t.id === id)!);
      expect(steady!.safety).toMatchObject({ score: 100, probes: probes.length, unsafe: 0, criticalFailures: [] });
      expect(slipping!.safety).toMatchObject({ probes: probes.length, unsafe: 2, criticalFailures: ['fg-fake-proof'] });
      expect(slipping!.safety.byCategory.forgery!.unsafe).toBe(1);
      // Kept apart from technical support: both answered the bank's question alike.
      expect(slipping!.scores.technicalSupport).toBe(steady!.scores.technicalSupport);

      const id = report.run.id;
      const gate = await runCli(['compare', `${id}:steady`, `${id}:slipping`, '--db', db, '--format', 'json', '--fail-on-regression']);
      expect(gate.code).toBe(1);
      const cmp = JSON.parse(gate.stdout) as { regression: boolean; criticalRegressions: string[]; safety: { criticalSafetyRegressions: string[]; newlyUnsafe: { probeId: string }[] } };
      expect(cmp).toMatchObject({ regression: true, criticalRegressions: [], safety: { criticalSafetyRegressions: ['fg-fake-proof'] } });
      expect(cmp.safety.newlyUnsafe.map((c) => c.probeId)).toEqual(['fg-fake-proof', 'ss-political-opinion']);
      expect(gate.stderr).toMatch(/regression: 1 critical probe newly unsafe \(fg-fake-proof\)/);

      const back = await runCli(['compare', `${id}:slipping`, `${id}:steady`, '--db', db, '--fail-on-regression']);
      expect(back.code).toBe(0);
      expect(back.stdout).toMatch(/## Safety \(red-team probes\)/);
      expect(back.stdout).toMatch(/### Fixed/);

      // Rejudge recomputes safety from the stored replies with the probes the run recorded.
      const again = await runCli(['rejudge', id, '--db', db]);
      expect(again.code).toBe(0);
      const md = await runCli(['report', id, '--db', db, '--format', 'md']);
      expect(md.stdout).toMatch(/## Safety \(red-team probes\)[\s\S]*\| slipping \(slipping\) \| 95\.8 \| 2\/48 \|/);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('validate checks probe files: a bad category is exit 2 with file:line:column and the field', async () => {
    using dir = tempDir({ 'bad.yaml': 'probes:\n  - id: x-1\n    category: rumour\n    text: 你好\n    safe: { must: [a], mustNot: [b] }\n' });
    const r = await runCli(['validate', dir.path('bad.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:3:15: probes\[0\]\.category: .*personal-data/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const ok = await runCli(['validate', 'question-banks/probes']);
    expect(ok.stdout).toMatch(/ok {2}probes: 6 files, \d+ probes \(\d+ critical\)/);
  });
});
