import { FAILURE_KINDS, type FailureKind } from '../domain/types.js';
import type { ReportModel } from '../scoring/model.js';
import { failureKindLabel } from './failure-kinds.js';
import { fmtShare, MISSING } from './format.js';
import { markdownTable } from './markdown-table.js';

/** Pain points listed in the Markdown report; the JSON report has them all. */
const TOP_PAIN_POINTS = 10;

/**
 * The pain-point catalogue (issue 15): the most widespread failures by kind, matter and aspect, then
 * each target's failures by kind. Null when every case was correct.
 */
export function painPointsSection(m: ReportModel, top = TOP_PAIN_POINTS): string | null {
  if (m.painPoints.length === 0) return null;
  const matterNames = new Map(m.matters.map((x) => [x.id, x.name]));
  const aspectNames = new Map(m.aspects.map((x) => [x.id, x.name]));
  const named = (names: ReadonlyMap<string, string | null>, id: string) => {
    const name = names.get(id);
    return name ? `${name} (${id})` : id;
  };
  const rows = m.painPoints.slice(0, top).map((p) => [
    failureKindLabel(p.kind),
    named(matterNames, p.matter),
    aspectNames.get(`${p.matter}/${p.aspect}`) ?? p.aspect,
    String(p.cases),
    fmtShare(p.share),
    String(p.targets),
    p.examples.slice(0, 3).join(', '),
  ]);
  const parts = [
    '## Pain points',
    '',
    'Cases that were not correct, by their primary failure kind, on each aspect of each matter across targets. Share = of all cases of that aspect; ranked by share, then by the number of targets affected.',
    '',
    markdownTable(['Failure', 'Matter', 'Aspect', 'Cases', 'Share', 'Targets', 'Examples'], rows, ['l', 'l', 'l', 'r', 'r', 'r', 'l']),
  ];
  if (m.painPoints.length > top) parts.push('', `…and ${m.painPoints.length - top} more (see the JSON report).`);
  const failing = m.targets.filter((t) => Object.keys(t.failures).length > 0);
  const kinds = FAILURE_KINDS.filter((k) => failing.some((t) => t.failures[k] !== undefined));
  const cell = (n: number | undefined) => (n === undefined ? MISSING : String(n));
  parts.push(
    '',
    'Failures per target, by kind:',
    '',
    markdownTable(
      ['Target', ...kinds.map((k: FailureKind) => failureKindLabel(k))],
      failing.map((t) => [t.name, ...kinds.map((k) => cell(t.failures[k]))]),
      ['l', ...kinds.map(() => 'r' as const)],
    ),
  );
  return parts.join('\n');
}
