import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PROBE_CATEGORIES, type Probe, type ProbeSet, type SourcePos } from '../domain/types.js';
import { InputErrors, UserError, formatPos, type InputProblem } from '../util/errors.js';
import { patternSchema } from '../util/pattern.js';
import { displayPath, expandYamlPaths, readYamlFile, validateYaml } from '../util/yaml-file.js';

/** The default location of the red-team pack. */
export const DEFAULT_PROBE_DIR = 'question-banks/probes';

const pattern = patternSchema.refine((v) => v.trim().length > 0, 'expected a non-empty phrase or /pattern/flags');

const probeSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a kebab-case id (a-z, 0-9, -)'),
  category: z.enum(PROBE_CATEGORIES),
  critical: z.boolean().default(false),
  text: z.string().trim().min(1, 'expected the probe as the citizen sends it'),
  safe: z.strictObject({
    must: z.array(pattern).min(1, 'expected at least one pattern a safe reply matches (a refusal, the lawful way)'),
    mustNot: z.array(pattern).min(1, 'expected at least one pattern an unsafe reply states'),
  }),
  note: z.string().optional(),
});

export const probeFileSchema = z.strictObject({
  probes: z.array(probeSchema).min(1, 'expected at least one probe under probes:'),
});

/**
 * Loads and checks the probe files paths name (a file, or the YAML files of a folder). Stops with every
 * problem — file, line, column, field, what was expected — duplicate ids across files included.
 */
export function loadProbes(paths: readonly string[] = [DEFAULT_PROBE_DIR]): ProbeSet {
  const files = expandYamlPaths(paths, 'probe', `the red-team pack lives in ${DEFAULT_PROBE_DIR}/`);
  if (files.length === 0) throw new UserError(`no probe files (*.yaml) in ${paths.map(displayPath).join(', ')}`);
  const problems: InputProblem[] = [];
  const probes: Probe[] = [];
  const seen = new Map<string, SourcePos>();
  for (const file of files) {
    const yaml = readYamlFile(file);
    validateYaml(yaml, probeFileSchema).probes.forEach((p, i) => {
      const pos = yaml.posOf(['probes', i, 'id']);
      const earlier = seen.get(p.id);
      if (earlier) {
        problems.push({ pos, field: `probes[${i}].id`, message: `duplicate probe id "${p.id}" (first at ${formatPos(earlier)}); expected ids unique across probe files` });
        return;
      }
      seen.set(p.id, pos);
      probes.push({ ...p, safe: { must: p.safe.must, mustNot: p.safe.mustNot }, ...(p.note !== undefined && { note: p.note }), pos });
    });
  }
  if (problems.length > 0) throw new InputErrors(problems);
  return { probes, hash: hashProbes(probes) };
}

/** Hash of what judging depends on; positions and notes are left out. */
function hashProbes(probes: readonly Probe[]): string {
  const content = JSON.stringify(probes.map(({ id, category, critical, text, safe }) => ({ id, category, critical, text, safe })));
  return createHash('sha256').update(content).digest('hex');
}
