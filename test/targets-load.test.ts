import { describe, expect, it } from 'vitest';
import { loadTargets, selectTargets } from '../src/config/load-targets.js';
import { UserError } from '../src/util/errors.js';
import { tempDir } from './helpers.js';

const GOOD = `defaults:
  limits: { concurrency: 3 }
targets:
  - id: city-a
    name: 甲市
    region: east
    adapter:
      type: http-json
      url: http://127.0.0.1:9/chat
      headers: { Authorization: "Bearer \${GB_TOKEN}" }
      reply: $.data.answer
    limits: { timeoutMs: 5000 }
  - id: city-b
    name: 乙市
    region: northwest
    province: 乙省
    adapter: { type: http-json, url: "", reply: "" }
`;

function load(text: string, env: NodeJS.ProcessEnv = { GB_TOKEN: 'x' }) {
  using dir = tempDir({ 'targets.yaml': text });
  return loadTargets(dir.path('targets.yaml'), { env });
}

function rejection(text: string, env?: NodeJS.ProcessEnv): string {
  try {
    load(text, env);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected the registry to be rejected');
}

describe('loadTargets', () => {
  it('applies defaults under per-target limits and lists targets without an endpoint', () => {
    const reg = load(GOOD);
    expect(reg.targets.map((t) => t.id)).toEqual(['city-a', 'city-b']);
    expect(reg.targets[0]!.limits).toEqual({ concurrency: 3, timeoutMs: 5000, retries: 2 });
    expect(reg.targets[1]!.adapter).toBeNull();
    expect(reg.unconfigured.map((t) => t.id)).toEqual(['city-b']);
  });

  it('keeps ${VAR} unexpanded in the loaded config so secrets are never carried around', () => {
    const reg = load(GOOD, { GB_TOKEN: 'canary-secret-123' });
    expect(JSON.stringify(reg)).not.toContain('canary-secret-123');
  });

  it.each([
    ['an unset ${VAR}', GOOD, {}, /targets\.yaml:10:33: targets\[0\]\.adapter\.headers\.Authorization: environment variable GB_TOKEN is not set/],
    ['an unknown region', GOOD.replace('region: east', 'region: middle'), undefined, /targets\.yaml:6:13: targets\[0\]\.region: Invalid option: expected one of "east"/],
    ['an unknown adapter type', GOOD.replace('type: http-json', 'type: carrier-pigeon'), undefined, /targets\.yaml:8:13: targets\[0\]\.adapter\.type: Invalid discriminator value/],
    ['a duplicate id', GOOD.replace('id: city-b', 'id: city-a'), undefined, /targets\[1\]\.id: duplicate target id "city-a"/],
    ['no targets', 'targets: []\n', undefined, /targets: expected at least one target/],
    ['an unknown persona', GOOD.replace(/adapter:\n {6}type: http-json[\s\S]*?reply: \$\.data\.answer/, 'adapter: { type: simulated, persona: nobody }'), undefined, /targets\[0\]\.adapter\.persona: unknown persona "nobody"/],
  ])('rejects %s with its position and field', (_, text, env, expected) => {
    expect(rejection(text, env as NodeJS.ProcessEnv | undefined)).toMatch(expected);
  });

  it('selects targets by id and names unknown ones', () => {
    const reg = load(GOOD);
    expect(selectTargets(reg, ['city-b']).map((t) => t.id)).toEqual(['city-b']);
    expect(() => selectTargets(reg, ['city-z'])).toThrow(/no target with id "city-z"/);
  });
});
