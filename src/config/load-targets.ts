import type { AdapterConfig, Limits, Target } from '../domain/types.js';
import { InputErrors, UserError, type InputProblem } from '../util/errors.js';
import { readYamlFile, validateYaml } from '../util/yaml-file.js';
import { findEnvRefs } from './env.js';
import { targetsFileSchema, type Persona } from './targets-schema.js';

export const DEFAULT_TARGETS_FILE = 'targets/demo.yaml';

const DEFAULT_LIMITS: Limits = { concurrency: 2, timeoutMs: 20_000, retries: 2 };

export interface TargetRegistry {
  file: string;
  targets: Target[];
  personas: Record<string, Persona>;
  /** Targets whose endpoint is still empty, for `validate` to list. */
  unconfigured: Target[];
}

interface LoadTargetsOptions {
  /** Environment for `${VAR}`; a reference to an unset variable is an error. */
  env?: NodeJS.ProcessEnv;
  /** Only ids, names and regions are wanted (a report): `${VAR}` references go unchecked. */
  namesOnly?: boolean;
}

/** Loads a target registry, checking ids, personas and `${VAR}` references, with positions. */
export function loadTargets(file: string, options: LoadTargetsOptions = {}): TargetRegistry {
  const env = options.env ?? process.env;
  const yaml = readYamlFile(file);
  const parsed = validateYaml(yaml, targetsFileSchema);
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const personas = parsed.personas ?? {};
  const targets: Target[] = [];
  const unconfigured: Target[] = [];

  parsed.targets.forEach((t, i) => {
    const at = (...path: (string | number)[]) => ({ pos: yaml.posOf(['targets', i, ...path]), field: `targets[${i}].${path.join('.')}` });
    if (seen.has(t.id)) problems.push({ ...at('id'), message: `duplicate target id "${t.id}"; expected ids unique in the file` });
    seen.add(t.id);
    const adapter = t.adapter as AdapterConfig;
    if (adapter.type === 'simulated' && !personas[adapter.persona]) {
      problems.push({
        ...at('adapter', 'persona'),
        message: `unknown persona "${adapter.persona}"; expected one of: ${Object.keys(personas).join(', ') || '(none defined under personas:)'}`,
      });
    }
    const isUnconfigured =
      (adapter.type === 'http-json' && (adapter.url === '' || adapter.reply === '')) ||
      (adapter.type === 'web-widget' && adapter.url === '');
    if (!isUnconfigured && !options.namesOnly) {
      for (const ref of findEnvRefs(adapter)) {
        if (env[ref.name] === undefined) {
          problems.push({
            pos: yaml.posOf(['targets', i, 'adapter', ...ref.path]),
            field: `targets[${i}].adapter.${ref.path.join('.')}`,
            message: `environment variable ${ref.name} is not set; expected it to hold the value for \${${ref.name}}`,
          });
        }
      }
    }
    const target: Target = {
      id: t.id,
      name: t.name,
      region: t.region,
      ...(t.province !== undefined && { province: t.province }),
      ...(t.tier !== undefined && { tier: t.tier }),
      ...(t.role !== undefined && { role: t.role }),
      adapter: isUnconfigured ? null : adapter,
      ...(t.followSuggestions !== undefined && t.followSuggestions > 0 && { followSuggestions: t.followSuggestions }),
      limits: { ...DEFAULT_LIMITS, ...parsed.defaults?.limits, ...t.limits } as Limits,
      pos: yaml.posOf(['targets', i]),
    };
    targets.push(target);
    if (isUnconfigured) unconfigured.push(target);
  });
  if (problems.length > 0) throw new InputErrors(problems);
  return { file: yaml.file, targets, personas, unconfigured };
}

/** Narrows a registry to the ids asked for, in registry order; an unknown id is a user error. */
export function selectTargets(registry: TargetRegistry, ids: readonly string[] | undefined): Target[] {
  if (!ids || ids.length === 0) return registry.targets;
  const known = new Set(registry.targets.map((t) => t.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UserError(`${registry.file}: no target with id ${unknown.map((u) => `"${u}"`).join(', ')}`, 'govbench validate lists the ids');
  }
  const wanted = new Set(ids);
  return registry.targets.filter((t) => wanted.has(t.id));
}
