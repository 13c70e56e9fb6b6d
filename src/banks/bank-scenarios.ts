/** Scenarios of the loaded banks (issue 16): checked against their matter's aspects and every id loaded. */
import type { Scenario, SourcePos } from '../domain/types.js';
import { formatPos, type InputProblem } from '../util/errors.js';
import type { YamlFile } from '../util/yaml-file.js';
import type { BankFile } from './schema.js';

/** One bank file's scenarios, with what they are checked against. */
export interface ScenarioSource {
  yaml: YamlFile;
  bank: BankFile;
  /** The aspect ids the file defines. */
  aspects: ReadonlySet<string>;
}

/**
 * The scenarios of every file, in file order. A scenario id must be unique among scenarios and
 * questions alike (results name either by id); its aspect must be one of its file's.
 */
export function collectScenarios(sources: readonly ScenarioSource[], questionIds: ReadonlyMap<string, SourcePos>, problems: InputProblem[]): Scenario[] {
  const seen = new Map<string, SourcePos>();
  const out: Scenario[] = [];
  for (const { yaml, bank, aspects } of sources) {
    bank.scenarios.forEach((s, i) => {
      const pos = yaml.posOf(['scenarios', i, 'id']);
      const earlier = seen.get(s.id) ?? questionIds.get(s.id);
      if (earlier) {
        problems.push({
          pos,
          field: `scenarios[${i}].id`,
          message: `duplicate id "${s.id}" (first at ${formatPos(earlier)}); expected scenario ids unique across all banks, questions included`,
        });
        return;
      }
      seen.set(s.id, pos);
      if (!aspects.has(s.aspect)) {
        problems.push({
          pos: yaml.posOf(['scenarios', i, 'aspect']),
          field: `scenarios[${i}].aspect`,
          message: `unknown aspect "${s.aspect}"; expected one of: ${[...aspects].join(', ')}`,
        });
        return;
      }
      const keyPointIds = s.reference.keyPoints.map((k) => k.id);
      const dup = keyPointIds.find((k, j) => keyPointIds.indexOf(k) !== j);
      if (dup !== undefined) {
        problems.push({ pos: yaml.posOf(['scenarios', i, 'reference', 'keyPoints']), field: `scenarios[${i}].reference.keyPoints`, message: `duplicate key point id "${dup}"` });
        return;
      }
      const matterId = bank.matter.id;
      out.push({
        id: s.id,
        matterId,
        aspectId: s.aspect,
        intent: `${matterId}/${s.aspect}`,
        persona: s.persona,
        goal: s.goal,
        facts: s.facts,
        opening: s.opening,
        reference: { ...s.reference, minKeyPoints: s.reference.minKeyPoints ?? s.reference.keyPoints.length },
        maxTurns: s.maxTurns,
        critical: s.critical,
        pos,
      });
    });
  }
  return out;
}
