import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterYaml, replaceTargetAdapter } from '../src/config/registry-edit.js';
import { loadTargets } from '../src/config/load-targets.js';
import type { WebWidgetAdapterConfig } from '../src/domain/types.js';
import { UserError } from '../src/util/errors.js';
import { runCli, tempDir } from './helpers.js';
import { answerFor, servePortals, type PortalSite } from './fixtures/portals/server.js';

const REGISTRY = `# Cities of the test evaluation. Keep this comment.
defaults:
  limits: { concurrency: 1, perMinute: 20, timeoutMs: 20000, retries: 2 }   # gentle

targets:
  - id: city-a
    name: 甲市
    region: east
    adapter: { type: http-json, url: "", reply: "" }   # not configured yet
  - id: city-b
    name: 乙市
    region: north
    adapter:
      type: http-json
      url: ""
      reply: ""
  # the last one
  - id: city-c
    name: 丙市
    region: south
    adapter: { type: http-json, url: "", reply: "" }
`;

const FOUND: WebWidgetAdapterConfig = {
  type: 'web-widget',
  url: 'https://www.example.gov.cn/',
  steps: [{ click: '.kf span' }, { frame: 'iframe[src^="/kf/"]' }],
  selectors: { input: 'textarea[placeholder="请输入您的问题"]', send: '.bar button', botMessage: 'div.say:not(.mine)' },
  quietMs: 1200,
};

/** What follows `adapter:` in each entry of REGISTRY. */
const OLD_ADAPTER: Record<string, string> = {
  'city-a': ' { type: http-json, url: "", reply: "" }',
  'city-b': '\n      type: http-json\n      url: ""\n      reply: ""',
  'city-c': ' { type: http-json, url: "", reply: "" }',
};

/** REGISTRY with the adapter of `id` written as `block` and not one other byte changed. */
function expectedAfter(id: string, block: string): string {
  const at = REGISTRY.indexOf('adapter:', REGISTRY.indexOf(`- id: ${id}`)) + 'adapter:'.length;
  const old = OLD_ADAPTER[id]!;
  expect(REGISTRY.slice(at, at + old.length)).toBe(old);
  return `${REGISTRY.slice(0, at)}\n${block}${REGISTRY.slice(at + old.length)}`;
}

describe('filling a registry entry in place', () => {
  it.each(['city-a', 'city-b', 'city-c'])('replaces the adapter of %s and leaves every other byte, comments included', (id) => {
    const out = replaceTargetAdapter(REGISTRY, 'cities.yaml', id, FOUND);
    expect(out).toBe(expectedAfter(id, adapterYaml(FOUND, 6)));
    using dir = tempDir({ 'cities.yaml': out });
    const targets = loadTargets(dir.path('cities.yaml')).targets;
    expect(targets.find((t) => t.id === id)?.adapter).toEqual(FOUND);
    expect(targets.filter((t) => t.id !== id).map((t) => t.adapter)).toEqual([null, null]);
  });

  it('names the file and the id when the entry is not there, and an entry without an adapter', () => {
    const missing = (() => {
      try {
        replaceTargetAdapter(REGISTRY, 'cities.yaml', 'nowhere', FOUND);
      } catch (err) {
        return err;
      }
    })();
    expect(missing).toBeInstanceOf(UserError);
    expect((missing as UserError).message).toBe('cities.yaml: no target with id "nowhere"');
    expect(() => replaceTargetAdapter('targets:\n  - id: x\n    name: X\n', 'c.yaml', 'x', FOUND)).toThrow('c.yaml: target "x" has no adapter: to fill in');
    expect(() => replaceTargetAdapter('targets: [', 'c.yaml', 'x', FOUND)).toThrow(/c\.yaml: not valid YAML/);
  });
});

describe('govbench detect on the command line', () => {
  let site: PortalSite;
  beforeAll(async () => {
    site = await servePortals();
  });
  afterAll(() => site.close());

  it('fills the registry entry, prints the JSON the issue describes, and exits 0', { timeout: 120_000 }, async () => {
    using dir = tempDir({ 'cities.yaml': REGISTRY });
    const file = dir.path('cities.yaml');
    const question = '外地户籍人员可以在本市办理吗？';
    const r = await runCli(['detect', `${site.url}/greeting-chips.html`, '--id', 'city-b', '--write', file, '--json', '--question', question, '--screenshots', dir.path('shots')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['blocked', 'notes', 'ok', 'probe', 'screenshot', 'target']);
    expect(out).toMatchObject({ ok: true, blocked: null, target: { id: 'city-b', adapter: { type: 'web-widget', url: `${site.url}/greeting-chips.html` } } });
    expect(out.probe).toMatchObject({ question, reply: answerFor(question), firstReplyMs: expect.any(Number) });
    expect(existsSync(out.screenshot as string)).toBe(true);
    const adapter = (out.target as { adapter: WebWidgetAdapterConfig }).adapter;
    expect(readFileSync(file, 'utf8')).toBe(expectedAfter('city-b', adapterYaml(adapter, 6)));
    expect(loadTargets(file).targets[1]?.adapter).toEqual(adapter);
  });

  it('exits 1 on a captcha wall, saying so with a screenshot, and leaves the registry alone', { timeout: 120_000 }, async () => {
    using dir = tempDir({ 'cities.yaml': REGISTRY });
    const r = await runCli(['detect', `${site.url}/captcha.html`, '--id', 'city-a', '--write', dir.path('cities.yaml'), '--screenshots', dir.path('shots')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ blocked: a captcha stands before the chat\n$/);
    const shot = /screenshot: (\S+\.png)/.exec(r.stdout)?.[1];
    expect(shot && existsSync(shot)).toBe(true);
    expect(readFileSync(dir.path('cities.yaml'), 'utf8')).toBe(REGISTRY);
  });

  it('refuses bad input with exit 2 before starting a browser', async () => {
    const results = await Promise.all([
      runCli(['detect', 'not a url']),
      runCli(['detect', 'ftp://example.gov.cn/']),
      runCli(['detect', 'https://example.gov.cn/', '--write', 'targets/key-cities.yaml']),
      runCli(['detect', 'https://example.gov.cn/', '--write', 'nowhere.yaml', '--id', 'x']),
      runCli(['detect', 'https://example.gov.cn/', '--write', 'targets/key-cities.yaml', '--id', 'atlantis']),
      runCli(['detect', 'https://example.gov.cn/', '--region', 'mars']),
    ]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(results.map((r) => r.stderr.split('\n')[0])).toEqual([
      expect.stringContaining('"not a url" is not an http(s) URL'),
      expect.stringContaining('"ftp://example.gov.cn/" is not an http(s) URL'),
      expect.stringContaining('--write needs --id'),
      expect.stringContaining('nowhere.yaml: no such targets file'),
      expect.stringContaining('targets/key-cities.yaml: no target with id "atlantis"'),
      expect.stringContaining('--region mars is not a region'),
    ]);
    for (const r of results) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
