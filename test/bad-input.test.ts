/**
 * Issue 7, "Bad input": every mistake in a bank, a registry, a calibration set or a database file
 * stops `govbench` with exit 2 and one plain message — file:line:column, the field, what was
 * expected — before anything is written.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { jsonPathProblem } from '../src/config/json-path.js';
import { loadTargets } from '../src/config/load-targets.js';
import { SCHEMA_VERSION } from '../src/store/sqlite/migrations.js';
import { runCli, tempDir, type CliOutcome } from './helpers.js';


const BANK = `matter:
  id: boat-permit
  name: 船只许可
aspects:
  - { id: fees, name: 收费 }
questions:
  - id: bp-fees-01
    aspect: fees
    text: 要交钱吗？
    variants:
      - { style: colloquial, text: 收钱不 }
    critical: true
    reference:
      answer: 不收费。
      keyPoints:
        - { id: free, text: 不收费, match: [不收费, 免费] }
`;

const TARGETS = `targets:
  - id: city-a
    name: 甲市
    region: east
    adapter:
      type: http-json
      url: http://127.0.0.1:9/chat
      headers: { Authorization: "Bearer \${GB_BAD_INPUT_TOKEN}" }
      reply: $.data.answer
      session: $.data.sid
`;

const ENV = { GB_BAD_INPUT_TOKEN: 'not-a-secret' };

/** Spawned, not run in-process: exit codes and stderr are what a user sees. */
const govbench = (args: string[], env: NodeJS.ProcessEnv = ENV) => runCli(args, env);

/** Exit 2 and one plain message: no stack frames, nothing on stdout. */
function expectUserError(r: CliOutcome, expected: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(/^govbench: /);
  expect(r.stderr).toMatch(expected);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stdout).toBe('');
}

/** Every file of the folder with its bytes, to show a failed command wrote, changed and removed nothing. */
function snapshot(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map((f) => [f, readFileSync(resolve(dir, f))]));
}

function expectUntouched(before: Map<string, Buffer>, dir: string): void {
  const after = snapshot(dir);
  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [file, bytes] of before) expect(after.get(file)!.equals(bytes), `${file} changed`).toBe(true);
}

/** `govbench run` on the given files, with a --db that must not come to exist. */
async function runRejected(files: Record<string, string>, banks: string[], env: NodeJS.ProcessEnv = ENV): Promise<CliOutcome> {
  using dir = tempDir(files);
  const before = snapshot(dir.dir);
  const args = ['run', ...banks.flatMap((b) => ['--bank', dir.path(b)]), '--targets', dir.path('targets.yaml'), '--db', dir.path('out/g.db')];
  const r = await govbench(args, env);
  expectUntouched(before, dir.dir);
  return r;
}

const swap = (text: string, from: string, to: string): string => {
  if (!text.includes(from)) throw new Error(`fixture does not contain ${from}`);
  return text.replace(from, to);
};

describe('bad input: govbench run exits 2 with file:line:column, field and expectation, and writes nothing', () => {
  it.concurrent.each<[string, Record<string, string>, RegExp]>([
    ['broken YAML', { 'bank.yaml': swap(BANK, 'aspects:', 'aspects: [') }, /bank\.yaml:\d+:\d+: invalid YAML: Flow sequence .*must be sufficiently indented and end with a \]/],
    ['a wrong type', { 'targets.yaml': `${TARGETS}    limits: { concurrency: two }\n` }, /targets\.yaml:11:28: targets\[0\]\.limits\.concurrency: .*expected number, received string/],
    ['an unknown aspect', { 'bank.yaml': swap(BANK, 'aspect: fees', 'aspect: price') }, /bank\.yaml:8:13: questions\[0\]\.aspect: unknown aspect "price"; expected one of: fees/],
    ['an unknown region', { 'targets.yaml': swap(TARGETS, 'region: east', 'region: middle') }, /targets\.yaml:4:13: targets\[0\]\.region: .*expected one of "east"\|"south"/],
    ['an unknown adapter type', { 'targets.yaml': swap(TARGETS, 'type: http-json', 'type: carrier-pigeon') }, /targets\.yaml:6:13: targets\[0\]\.adapter\.type: Invalid discriminator value\. Expected 'http-json' \| 'openai-chat' \| 'web-widget' \| 'simulated'/],
    ['an unknown key', { 'bank.yaml': swap(BANK, '    aspect: fees', '    aspect: fees\n    colour: red') }, /bank\.yaml:9:5: questions\[0\]\.colour: Unrecognized key/],
    ['a bad regex in match', { 'bank.yaml': swap(BANK, 'match: [不收费, 免费]', 'match: [不收费, "/免(费/"]') }, /bank\.yaml:16:47: questions\[0\]\.reference\.keyPoints\[0\]\.match\[1\]: invalid regular expression: .*Unterminated group/],
    ['a reply JSONPath that does not parse', { 'targets.yaml': swap(TARGETS, 'reply: $.data.answer', 'reply: $.data[0') }, /targets\.yaml:9:14: targets\[0\]\.adapter\.reply: "\[" at character 7 is never closed/],
    ['a session JSONPath whose filter does not parse', { 'targets.yaml': swap(TARGETS, 'session: $.data.sid', 'session: $.data[?(@.sid &&)]') }, /targets\.yaml:10:16: targets\[0\]\.adapter\.session: expression \[\?\(@\.sid &&\)\] does not parse: Expected expression after &&/],
    ['a registry that names no target', { 'targets.yaml': 'targets: []\n' }, /targets\.yaml:1:10: targets: expected at least one target/],
    ['an empty bank', { 'bank.yaml': swap(BANK, BANK.slice(BANK.indexOf('questions:')), 'questions: []\n') }, /bank\.yaml:6:12: questions: the banks hold no questions; expected at least one/],
  ])('%s', async (_, files, expected) => {
    const r = await runRejected({ 'bank.yaml': BANK, 'targets.yaml': TARGETS, ...files }, ['bank.yaml']);
    expectUserError(r, expected);
  });

  it.concurrent('a question id used in two bank files, naming both places', async () => {
    const other = swap(BANK, 'id: boat-permit', 'id: boat-licence');
    const r = await runRejected({ 'a.yaml': BANK, 'b.yaml': other, 'targets.yaml': TARGETS }, ['a.yaml', 'b.yaml']);
    expectUserError(r, /b\.yaml:7:9: questions\[0\]\.id: duplicate question id "bp-fees-01" \(first at .*a\.yaml:7:9\); expected ids unique/);
  });

  it.concurrent('a ${VAR} that is not set, naming the variable and where it is used', async () => {
    const r = await runRejected({ 'bank.yaml': BANK, 'targets.yaml': TARGETS }, ['bank.yaml'], { GB_BAD_INPUT_TOKEN: undefined });
    expectUserError(r, /targets\.yaml:8:33: targets\[0\]\.adapter\.headers\.Authorization: environment variable GB_BAD_INPUT_TOKEN is not set/);
  });
});

describe('bad input: a --db that is not a govbench database is refused and left as it was', () => {
  /** A database whose schema is newer than this govbench knows, in the given journal mode. */
  function newerDatabase(file: string, journal: 'wal' | 'delete'): void {
    const db = new Database(file);
    db.pragma(`journal_mode = ${journal}`);
    db.exec('CREATE TABLE future (x INTEGER); INSERT INTO future VALUES (42);');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
  }

  async function withDatabase(prepare: (file: string) => void, args: (db: string) => string[]): Promise<CliOutcome> {
    using dir = tempDir({ 'bank.yaml': BANK, 'targets.yaml': TARGETS });
    const db = dir.path('g.db');
    prepare(db);
    const before = snapshot(dir.dir);
    const r = await govbench(args(db).map((a) => (a.endsWith('.yaml') ? dir.path(a) : a)));
    expectUntouched(before, dir.dir);
    return r;
  }

  const run = (db: string) => ['run', '--bank', 'bank.yaml', '--targets', 'targets.yaml', '--db', db];
  const report = (db: string) => ['report', 'latest', '--db', db];

  it.concurrent('run on a file that is not SQLite', async () => {
    const r = await withDatabase((db) => writeFileSync(db, 'question,answer\n要交钱吗？,不收费\n'.repeat(200)), run);
    expectUserError(r, /g\.db: not (a govbench|an SQLite) database/);
  });

  it.concurrent.each([
    ['run', 'wal', run],
    ['report', 'delete', report],
  ] as const)('%s on a database from a newer govbench (%s journal)', async (_, journal, args) => {
    const r = await withDatabase((db) => newerDatabase(db, journal), args);
    expectUserError(r, new RegExp(`g\\.db: written by a newer govbench \\(schema ${SCHEMA_VERSION + 1}; this one knows up to ${SCHEMA_VERSION}\\)`));
  });

  it.concurrent('report on a --db that does not exist creates neither the file nor its folder', async () => {
    using dir = tempDir();
    const r = await govbench(['report', 'latest', '--db', dir.path('typo/g.db')]);
    expectUserError(r, /typo\/g\.db: no such database/);
    expect(readdirSync(dir.dir)).toEqual([]);
  });
});

describe('bad input: calibrate --set reports mistakes in a calibration set with their position', () => {
  const SET = `items:
  - question: bp-fees-01
    variant: 1
    answer: 不收费
    gold: { intentRecognized: true, verdict: correct }
`;
  it.concurrent.each([
    ['an unknown question id', swap(SET, 'question: bp-fees-01', 'question: bp-fees-99'), /set\.yaml:2:15: items\[0\]\.question: unknown question "bp-fees-99"; expected an id from the loaded banks/],
    ['a variant out of range', swap(SET, 'variant: 1', 'variant: 2'), /set\.yaml:3:14: items\[0\]\.variant: variant 2 is out of range; question "bp-fees-01" has 1 variant/],
  ])('%s', async (_, set, expected) => {
    using dir = tempDir({ 'bank.yaml': BANK, 'set.yaml': set });
    const r = await govbench(['calibrate', '--bank', dir.path('bank.yaml'), '--set', dir.path('set.yaml')]);
    expectUserError(r, expected);
  });
});

describe('bad input: the fixtures above are otherwise valid', () => {
  it('the bank and the registry load as written', () => {
    using dir = tempDir({ 'bank.yaml': BANK, 'targets.yaml': TARGETS });
    expect(loadBanks([dir.path('bank.yaml')]).questions.map((q) => q.id)).toEqual(['bp-fees-01']);
    expect(loadTargets(dir.path('targets.yaml'), { env: ENV }).targets.map((t) => t.adapter?.type)).toEqual(['http-json']);
  });
});

/** The message a loader stops with; the CLI prints it as it is (exit 2, shown above). */
function loadMessage(load: (file: string) => unknown, text: string): string {
  using dir = tempDir({ 'input.yaml': text });
  try {
    load(dir.path('input.yaml'));
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the file to be rejected');
}

describe('bad input: loaders name what a file lacks', () => {
  const targets = (file: string) => loadTargets(file, { env: ENV });
  it.each<[string, (file: string) => unknown, string, RegExp]>([
    ['an empty registry', targets, '# nothing yet\n', /input\.yaml:1:1: the file is empty; expected a mapping with targets:$/],
    ['a registry without a targets list', targets, 'defaults:\n  limits: { concurrency: 2 }\n', /input\.yaml:1:1: targets: expected a list of targets under targets:$/],
    ['a registry that is a bare list', targets, '- id: city-a\n', /input\.yaml:1:1: found a list; expected a mapping with targets:$/],
    ['a reply that is not a JSONPath', targets, swap(TARGETS, 'reply: $.data.answer', 'reply: data.answer'), /input\.yaml:9:14: targets\[0\]\.adapter\.reply: expected a JSONPath starting with \$/],
    ['an empty bank file', (f) => loadBanks([f]), '', /input\.yaml:1:1: the file is empty; expected a mapping with matter:, aspects:$/],
    ['a bank without a questions list', (f) => loadBanks([f]), BANK.slice(0, BANK.indexOf('questions:')), /input\.yaml:1:1: questions: the banks hold no questions/],
  ])('%s', (_, load, text, expected) => {
    expect(loadMessage(load, text)).toMatch(expected);
  });

  it('accepts a key-cities style registry whose reply is still empty', () => {
    const text = swap(TARGETS, 'reply: $.data.answer', 'reply: ""').replace(/\n {6}session:.*\n/, '\n');
    using dir = tempDir({ 'targets.yaml': swap(text, 'url: http://127.0.0.1:9/chat', 'url: ""') });
    expect(loadTargets(dir.path('targets.yaml'), { env: ENV }).unconfigured.map((t) => t.id)).toEqual(['city-a']);
  });
});

describe('bad input: jsonPathProblem accepts what jsonpath-plus evaluates and rejects what it cannot', () => {
  it.each(['$', '$.data.answer', '$..answer', "$['a b'].c", '$.msgs[*].t', '$.choices[0].delta.content', '$.a[-1:]', '$.a[(@.length-1)]', "$.a[?(@.t=='x]')].v", '$.a[?(@.tags[0]==\'x\' && @.n > 1)]'])(
    'accepts %s',
    (path) => expect(jsonPathProblem(path)).toBeUndefined(),
  );

  it.each([
    ['data.answer', /starting with \$/],
    ['$$.a', /expected "\." or "\[" after "\$"/],
    ['$.data[', /"\[" at character 7 is never closed/],
    ['$.a]', /unexpected "\]" at character 4/],
    ["$['a", /"'" at character 3 is never closed/],
    ['$.a.', /member name after the final "\."/],
    ['$.a[?(@.b ===)]', /does not parse: Expected expression after ===/],
    ['$.a[(1+)]', /does not parse: Expected expression after \+/],
  ])('rejects %s', (path, expected) => {
    expect(jsonPathProblem(path)).toMatch(expected);
  });
});
