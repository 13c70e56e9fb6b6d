import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/domain/types.js';
import { renderHtml } from '../src/reports/html/index.js';
import { loadReportModel } from '../src/reports/from-store.js';
import type { PainPoint, ReportModel } from '../src/scoring/model.js';
import { tempDir } from './helpers.js';
import { fillStore, IMG, MATTER_NAMES, RUN_ID, SCRIPT } from './report-html-fixtures.js';

const tmp = tempDir();
let store: Store;
let base: ReportModel;

beforeAll(() => {
  store = fillStore(tmp.dir);
  base = loadReportModel(store, RUN_ID, { bootstrap: { iterations: 50 } }, { matters: MATTER_NAMES });
});
afterAll(() => {
  store.close();
  tmp[Symbol.dispose]();
});

const point = (p: Partial<PainPoint> & Pick<PainPoint, 'kind' | 'matter' | 'aspect' | 'share'>): PainPoint => ({
  cases: 3,
  targets: 1,
  targetIds: ['evil'],
  regions: { east: 3 },
  examples: [],
  ...p,
});

/** The section between its heading and the next section. */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('pain points in the HTML report', () => {
  it('charts and lists every pain point with names, shares, targets and example cases, escaping them', () => {
    const model: ReportModel = {
      ...base,
      painPoints: [
        point({ kind: 'fallback', matter: 'm1', aspect: 'a', share: 0.5, cases: 4, targets: 2, targetIds: ['evil', 'sh'], regions: { east: 3, south: 1 }, examples: [`evil:q1:0:0`, `sh:${SCRIPT}:0:0`] }),
        point({ kind: 'timeout', matter: 'm2', aspect: 'b', share: 0.25 }),
      ],
      targets: base.targets.map((t) => ({ ...t, failures: t.id === 'evil' ? { fallback: 3, timeout: 1 } : t.id === 'sh' ? { fallback: 1 } : {} })),
    };
    const html = renderHtml(model, { worstAnswers: [] });
    expect(html).toContain('<a href="#pain-points">Pain points</a>');
    const section = sectionOf(html, 'pain-points');
    expect(section).toContain('<svg');
    const rows = section.slice(section.indexOf('id="pain-points-table"')).split('</table>')[0]!.split('<tr>').slice(2);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('未理解 fallback');
    expect(rows[0]).toContain('<td>示例事项&lt;img src=x');
    expect(rows[0]).toContain('<td>a</td>');
    expect(rows[0]).toContain('data-sort="0.5">50%');
    expect(rows[0]).toContain('<code>evil:q1:0:0</code>');
    // The hostile target name and example id appear only as text.
    expect(rows[0]).toContain('恶意市&lt;script&gt;');
    expect(section).not.toContain(SCRIPT);
    expect(section).not.toContain(IMG);
    expect(rows[1]).toContain('超时 timeout');
    // Per target: the most frequent kind first, targets without failures left out.
    const byTarget = section.slice(section.indexOf('id="target-failures-table"'));
    const head = byTarget.slice(0, byTarget.indexOf('</thead>'));
    expect(head.indexOf('未理解 fallback')).toBeLessThan(head.indexOf('超时 timeout'));
    expect(byTarget.split('<tr>').length - 2).toBe(2);
  });

  it('says so when every case was correct', () => {
    const html = renderHtml({ ...base, painPoints: [], targets: base.targets.map((t) => ({ ...t, failures: {} })) }, { worstAnswers: [] });
    const section = sectionOf(html, 'pain-points');
    expect(section).toContain('Nothing to chart in this run.');
    expect(section).toContain('Every case was correct.');
    expect(section).not.toContain('pain-points-table');
  });
});
