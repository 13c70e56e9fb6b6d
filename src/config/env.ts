/** `${VAR}` references inside adapter configuration; their values are secrets and never stored. */
const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

interface EnvRef {
  name: string;
  path: (string | number)[];
}

export function findEnvRefs(value: unknown, path: (string | number)[] = []): EnvRef[] {
  if (typeof value === 'string') return [...value.matchAll(ENV_REF)].map((m) => ({ name: m[1]!, path }));
  if (Array.isArray(value)) return value.flatMap((v, i) => findEnvRefs(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => findEnvRefs(v, [...path, k]));
  }
  return [];
}

/** Replaces `${VAR}` in every string of a value; records the substituted values so they can be redacted. */
export function expandEnv<T>(value: T, env: NodeJS.ProcessEnv, secrets: Set<string>): T {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_, name: string) => {
      const v = env[name] ?? '';
      if (v) secrets.add(v);
      return v;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => expandEnv(v, env, secrets)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, secrets)])) as T;
  }
  return value;
}

/** Masks every secret value in a text before it is stored, logged or shown. */
export function redact(text: string, secrets: ReadonlySet<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('***');
  return out;
}
