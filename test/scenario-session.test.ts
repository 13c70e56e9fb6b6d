import { describe, expect, it } from 'vitest';
import { runCommand } from '../src/cli/commands/run.js';
import type { RunRow } from '../src/domain/types.js';
import { citizenKinds, createCitizens } from '../src/runner/citizens.js';
import { recordedSpec, recordOf, type RunSpec } from '../src/runner/session/spec.js';
import { UserError } from '../src/util/errors.js';

const row = (options: Record<string, unknown>): RunRow => ({
  id: 'r1',
  label: null,
  banksHash: 'h',
  judge: 'matcher',
  options,
  startedAt: '2026-12-03T00:00:00Z',
  finishedAt: null,
  status: 'interrupted',
  environment: null,
});

describe('scenarios in the run session', () => {
  const spec: RunSpec = { banks: ['b'], targets: 't.yaml', target: [], judge: 'matcher', repeat: 2, citizen: 'both' };

  it('records the citizens a run plays with, so a resume plays the same; a run without them records none', () => {
    expect(recordedSpec(row(recordOf(spec))).citizen).toBe('both');
    const { citizen: _, ...plain } = spec;
    expect('citizen' in recordOf(plain)).toBe(false);
    expect(recordedSpec(row(recordOf(plain))).citizen).toBeUndefined();
    expect(() => recordedSpec(row({ ...recordOf(spec), citizen: 'robot' }))).toThrow(/recorded option citizen/);
  });

  it('makes one citizen per kind chosen; the llm one needs an endpoint, named like the LLM judge’s', () => {
    expect(citizenKinds('both')).toEqual(['rule', 'llm']);
    expect(createCitizens('rule', undefined, {}).map((c) => c.kind)).toEqual(['rule']);
    expect(() => createCitizens('both', undefined, {})).toThrow(UserError);
    try {
      createCitizens('llm', undefined, { GOVBENCH_LLM_MODEL: 'm' });
      expect.unreachable();
    } catch (err) {
      expect((err as UserError).message).toMatch(/--citizen llm needs an OpenAI-compatible endpoint/);
      expect((err as UserError).hint).toMatch(/GOVBENCH_LLM_BASE_URL/);
    }
    const env = { GOVBENCH_LLM_BASE_URL: 'http://127.0.0.1:9/v1', GOVBENCH_LLM_MODEL: 'm' };
    expect(createCitizens('both', undefined, env).map((c) => c.kind)).toEqual(['rule', 'llm']);
    expect(createCitizens('llm', { baseURL: 'http://127.0.0.1:9/v1', model: 'm' }, {}).map((c) => c.kind)).toEqual(['llm']);
  });

  it('refuses --citizen without --scenarios before touching anything', async () => {
    const err = await runCommand({ citizen: 'llm', db: '/nonexistent/dir/g.db' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).hint).toBe('add --scenarios');
  });
});
