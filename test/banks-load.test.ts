import { describe, expect, it } from 'vitest';
import { loadBanks } from '../src/banks/load-banks.js';
import { handleError } from '../src/cli/handle-error.js';
import { InputErrors, UserError } from '../src/util/errors.js';
import { tempDir, TINY_BANK } from './helpers.js';

const GOOD = TINY_BANK;

function loadError(files: Record<string, string>, names = Object.keys(files)): UserError {
  using dir = tempDir(files);
  try {
    loadBanks(names.map(dir.path));
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected the banks to be rejected');
}

describe('loadBanks', () => {
  it('merges banks from a folder, derives intents and applies defaults', () => {
    const banks = loadBanks(['test/fixtures/core']);
    expect(banks.matters.map((m) => m.id)).toEqual(['fishing-licence', 'out-of-scope']);
    expect(banks.intents.map((i) => i.id)).toContain('fishing-licence/time-limit');
    const q = banks.questions.find((x) => x.id === 'fl-materials-01')!;
    expect(q.intent).toBe('fishing-licence/materials');
    expect(q.reference.minKeyPoints).toBe(2);
    expect(q.reference.facts).toEqual([]);
    const script = banks.questions.find((x) => x.id === 'fl-clarify-01')!;
    expect(script.text).toBe('我想办个证');
    expect(script.turns?.[0]?.expect).toBe('clarify');
    expect(banks.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same hash for the same content and another for changed content', () => {
    using dir = tempDir({ 'a.yaml': GOOD, 'b.yaml': GOOD.replace('不收费。', '收费。') });
    const a = loadBanks([dir.path('a.yaml')]).hash;
    expect(loadBanks([dir.path('a.yaml')]).hash).toBe(a);
    expect(loadBanks([dir.path('b.yaml')]).hash).not.toBe(a);
  });

  it('takes a bare YAML number in match as its text', () => {
    using dir = tempDir({ 'a.yaml': GOOD.replace('match: [不收费, 免费]', 'match: [12345]') });
    const q = loadBanks([dir.path('a.yaml')]).questions[0]!;
    expect(q.reference.keyPoints[0]!.match).toEqual(['12345']);
  });

  it('merges out-of-scope questions from several files', () => {
    const oos = (qid: string) => `matter: { id: out-of-scope, name: 超出范围 }
aspects: [{ id: chat, name: 闲聊 }]
questions:
  - { id: ${qid}, aspect: chat, text: 你好, reference: { answer: 您好, keyPoints: [{ id: a, text: a, match: [您好] }] } }
`;
    using dir = tempDir({ 'a.yaml': oos('oos-1'), 'b.yaml': oos('oos-2') });
    const banks = loadBanks([dir.dir]);
    expect(banks.matters).toHaveLength(1);
    expect(banks.questions.map((q) => q.id)).toEqual(['oos-1', 'oos-2']);
  });

  it.each([
    ['broken YAML', GOOD.replace('aspects:', 'aspects: [\n'), /a\.yaml:\d+:\d+: invalid YAML/],
    ['a wrong type', GOOD.replace('text: 要交钱吗？', 'text: [1, 2]'), /a\.yaml:9:11: questions\[0\]\.text: Invalid input: expected string/],
    ['an unknown aspect', GOOD.replace('aspect: fees', 'aspect: price'), /a\.yaml:8:13: questions\[0\]\.aspect: unknown aspect "price"; expected one of: fees/],
    ['an unknown key', GOOD.replace('    aspect: fees', '    aspect: fees\n    colour: red'), /a\.yaml:9:5: questions\[0\]\.colour: Unrecognized key/],
    ['a bad regex', GOOD.replace('match: [不收费, 免费]', 'match: ["/(免费/"]'), /questions\[0\]\.reference\.keyPoints\[0\]\.match\[0\]: invalid regular expression/],
    ['a missing reference answer', GOOD.replace('      answer: 不收费。\n', ''), /questions\[0\]\.reference\.answer: Invalid input: expected string, received undefined/],
    ['minKeyPoints above the key points', GOOD.replace('      keyPoints:', '      minKeyPoints: 3\n      keyPoints:'), /minKeyPoints is larger/],
    ['no questions', GOOD.slice(0, GOOD.indexOf('questions:')), /hold no questions/],
    ['a date that is not one', GOOD.replace('matter:\n', 'matter:\n  reviewed: last spring\n'), /a\.yaml:2:13: matter\.reviewed: expected a date as YYYY-MM-DD/],
    ['a lawful alternative without its source', GOOD.replace('    reference:\n', '    reference:\n      facts: [{ id: f, text: 10日, value: 10, unit: 日, also: [{ value: 20 }] }]\n'), /questions\[0\]\.reference\.facts\[0\]\.also\[0\]\.source: Invalid input: expected string/],
    ['a superseded rule that says nothing', `${GOOD}superseded:\n  - { id: old, rule: 旧办法 }\n`, /superseded\[0\]: expected facts or statements/],
    ['a superseded rule of an unknown aspect', `${GOOD}superseded:\n  - { id: old, rule: 旧办法, aspects: [price], statements: [押金] }\n`, /superseded\[0\]\.aspects\[0\]: unknown aspect "price"/],
  ])('rejects %s with file:line:column and the field', (_, text, expected) => {
    const err = loadError({ 'a.yaml': text });
    expect(err.message).toMatch(expected);
    // What the CLI prints of it: a plain message naming the file and position (and, in `expected`, the
    // field and what was expected); no stack.
    const printed: string[] = [];
    handleError(err, (line) => printed.push(line));
    const shown = printed.join('');
    expect(shown).toMatch(/^govbench: \S*a\.yaml:\d+:\d+: \S/);
    expect(shown).toMatch(expected);
    expect(shown).not.toMatch(/^\s+at |internal error/m);
  });

  it('carries dated sources, lawful alternatives and superseded rules into the loaded banks', () => {
    const bank = GOOD.replace('matter:\n', 'matter:\n  reviewed: 2026-01-02\n  sources: [{ title: 办法, effective: 2024-01, repealed: 2026 }]\n')
      .replace('    reference:\n', '    reference:\n      facts: [{ id: f, text: 10日, value: 10, unit: 日, also: [{ value: 20, context: [延长], source: 第九条 }] }]\n');
    using dir = tempDir({ 'a.yaml': `${bank}superseded:\n  - { id: old, rule: 旧办法, statements: [押金] }\n` });
    const banks = loadBanks([dir.dir]);
    expect(banks.matters[0]).toMatchObject({ reviewed: '2026-01-02', sources: [{ title: '办法', effective: '2024-01', repealed: '2026' }] });
    expect(banks.matters[0]!.superseded).toEqual([{ id: 'old', rule: '旧办法', facts: [], statements: ['押金'] }]);
    expect(banks.questions[0]!.reference.facts[0]!.also).toEqual([{ value: 20, context: ['延长'], source: '第九条' }]);
  });

  it('rejects a question id used in two files, naming both places', () => {
    const other = GOOD.replace('id: boat-permit', 'id: boat-permit-2');
    const err = loadError({ 'a.yaml': GOOD, 'b.yaml': other });
    expect(err).toBeInstanceOf(InputErrors);
    expect(err.message).toMatch(/b\.yaml:7:9: questions\[0\]\.id: duplicate question id "bp-fees-01" \(first at .*a\.yaml:7:9\)/);
  });

  it('rejects a matter id defined twice', () => {
    const err = loadError({ 'a.yaml': GOOD, 'b.yaml': GOOD.replace('bp-fees-01', 'bp-fees-02') });
    expect(err.message).toMatch(/b\.yaml:2:7: matter\.id: matter "boat-permit" is already defined/);
  });

  it('names a path that does not exist', () => {
    expect(() => loadBanks(['no/such/bank'])).toThrow(/no\/such\/bank: no such bank file or folder/);
  });
});
