import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import { bankStats } from '../src/banks/bank-stats.js';
import { buildDrafts } from '../src/banks/draft-yaml.js';
import { readTable } from '../src/banks/import-table.js';
import { loadBanks } from '../src/banks/load-banks.js';
import { bankTexts, colloquialVariant, createHomophoneIndex, proposeVariants, terseVariant, typoVariant } from '../src/banks/propose-variants.js';
import { bankImportCommand, bankVariantsCommand } from '../src/cli/commands/bank.js';
import { InputErrors, UserError } from '../src/util/errors.js';
import { runCli, tempDir } from './helpers.js';

const FIXTURES = resolve('test/fixtures/bank-tools');
const CSV = join(FIXTURES, 'kb-export.csv');
const XLSX = join(FIXTURES, 'kb-export.xlsx');
const BANK = join(FIXTURES, 'bank.yaml');

function captured(): { out: (s: string) => void; text: () => string } {
  let buf = '';
  return { out: (s) => (buf += s), text: () => buf };
}

async function thrown(p: Promise<unknown> | (() => unknown)): Promise<Error> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('bank import: reading tables', () => {
  it('maps the Chinese headers of a CSV export and keeps the line each question starts on', async () => {
    const table = await readTable(CSV);
    expect(table.mapping).toEqual([
      { field: 'question', header: '问题', column: 1 },
      { field: 'answer', header: '标准答案', column: 2 },
      { field: 'matter', header: '事项名称', column: 3 },
    ]);
    expect(table.rows.map((r) => [r.pos.line, r.matter])).toEqual([
      [2, '渔业捕捞许可证核发'],
      [7, '渔业捕捞许可证核发'], // the first answer spans lines 2–6
      [8, '渔业捕捞许可证核发'],
      [9, '渔业捕捞许可证核发'],
      [10, '渔业捕捞许可证核发'],
      [11, '农家乐开办'],
    ]);
    expect(table.rows[0]!.answer).toContain('\n2. 渔船所有权登记证书；');
  });

  it('reads an XLSX export: skips the title row, maps 标准问 / 回答 / 分类 / 相似问', async () => {
    const table = await readTable(XLSX);
    expect(table.sheet).toBe('知识库');
    expect(table.mapping.map((m) => `${m.header}→${m.field}`)).toEqual(['标准问→question', '回答→answer', '分类→matter', '相似问→variants']);
    expect(table.rows).toHaveLength(3);
    expect(table.rows[0]).toMatchObject({ question: '游船经营许可需要提交哪些材料？', matter: '游船经营许可', variants: ['开游船要啥材料', '游船许可材料'] });
    expect(table.rows[0]!.pos.line).toBe(3);
  });

  it('reads a GB18030 CSV as Excel on a Chinese Windows saves it', async () => {
    using dir = tempDir();
    // 问题,答案 / 要交钱吗？,不收费。 in GB18030, written byte by byte.
    const gb = Buffer.from('ceca cce2 2cb4 f0b0 b80a d2aa bdbb c7ae c2f0 a3bf 2cb2 bbca d5b7 d1a1 a30a'.replace(/\s/g, ''), 'hex');
    writeFileSync(dir.path('gb.csv'), gb);
    const table = await readTable(dir.path('gb.csv'), { requireMatter: false });
    expect(table.rows.map((r) => [r.question, r.answer])).toEqual([['要交钱吗？', '不收费。']]);
  });

  it('a missing column names the file, the headers found and the headers expected', async () => {
    using dir = tempDir({ 'bad.csv': '问题,备注,事项\n要交钱吗？,无,渡船\n' });
    const err = await thrown(readTable(dir.path('bad.csv')));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/bad\.csv:1: no answer column; expected a header among: answer, a, 答案, 回答, 标准答案/);
    expect(err.message).toMatch(/Headers found: 问题, 备注, 事项/);
  });

  it('an empty answer or matter is reported with file, line, column and header, all at once', async () => {
    using dir = tempDir({ 'rows.csv': '问题,答案,事项\n要交钱吗？,不收费。,渡船\n要带什么？,,渡船\n多久办好？,五个工作日。,\n' });
    const err = await thrown(readTable(dir.path('rows.csv')));
    expect(err).toBeInstanceOf(InputErrors);
    expect((err as InputErrors).problems.map((p) => `${p.pos.line}:${p.pos.column} ${p.field}`)).toEqual(['3:2 答案', '4:3 事项']);
    expect(err.message).toMatch(/rows\.csv:3:2: 答案: empty; expected the reference answer/);
  });

  it('without a matter column, --matter is required, and the CLI exits 2 with a plain message', async () => {
    using dir = tempDir({ 'nomatter.csv': 'question,answer\n要交钱吗？,不收费。\n' });
    const r = await runCli(['bank', 'import', dir.path('nomatter.csv'), '--out', dir.path('out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nomatter\.csv:1: no matter column/);
    expect(r.stderr).toMatch(/hint: add a matter column, or pass --matter ID/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(dir.path('out'))).toBe(false);
  });
});

describe('bank import: drafts', () => {
  it('writes one draft per matter, with pinyin ids, that the bank loader accepts', async () => {
    using dir = tempDir();
    const log = captured();
    await bankImportCommand(CSV, { out: dir.dir }, log.out);
    expect(readdirSync(dir.dir).sort()).toEqual(['nongjiale-kaiban.yaml', 'yuye-bulao-xukezheng-hefa.yaml']);
    expect(log.text()).toMatch(/columns: 问题 → question, 标准答案 → answer, 事项名称 → matter/);
    const banks = loadBanks([dir.dir]);
    expect(banks.matters.map((m) => [m.id, m.name])).toEqual([
      ['nongjiale-kaiban', '农家乐开办'],
      ['yuye-bulao-xukezheng-hefa', '渔业捕捞许可证核发'],
    ]);
    expect(banks.questions).toHaveLength(6);
    const materials = banks.questions.find((q) => q.text === '渔船捕捞许可证申请需要准备哪些材料？')!;
    expect(materials.aspectId).toBe('materials');
    // Key points from the numbered list, not from the sentence around it.
    expect(materials.reference.keyPoints.map((k) => k.text)).toEqual(['渔业捕捞许可证申请书', '渔船所有权登记证书', '船员名单及职务船员证书']);
    const time = banks.questions.find((q) => q.text.includes('多长时间'))!;
    expect(time.reference.facts.map((f) => [f.value, f.unit])).toEqual([
      [20, '工作日'],
      [10, '工作日'],
    ]);
    expect(banks.questions.find((q) => q.text.includes('有效期'))!.aspectId).toBe('validity');
  });

  it('marks what a person must check with TODO(person) comments', async () => {
    const [draft] = buildDrafts(await readTable(XLSX));
    const lines = draft!.text.split('\n');
    const before = (line: RegExp) => lines[lines.findIndex((l) => line.test(l)) - 1] ?? '';
    expect(before(/^ {2}sources: \[\]$/)).toMatch(/# TODO\(person\): the regulations/);
    expect(before(/^ {6}keyPoints:$/)).toMatch(/# TODO\(person\): check/);
    expect(before(/^ {6}facts:$/)).toMatch(/# TODO\(person\): check — proposed from numbers/);
    expect(before(/^ {4}variants:$/)).toMatch(/# TODO\(person\): similar questions/);
    expect(draft!.text).toContain('- { id: fact-1, text: 自受理之日起15个工作日内作出决定, value: 15, unit: 工作日 }');
    expect(draft!.text).toContain('# from ');
    expect(draft!.todos).toBe(lines.filter((l) => l.includes('# TODO(person)')).length);
  });

  it('never overwrites a draft without --force, and --force replaces it whole', async () => {
    using dir = tempDir({ 'youchuan-jingying-xuke.yaml': 'kept\n' });
    const err = await thrown(bankImportCommand(XLSX, { out: dir.dir }, () => {}));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/not overwriting .*youchuan-jingying-xuke\.yaml/);
    expect(readFileSync(dir.path('youchuan-jingying-xuke.yaml'), 'utf8')).toBe('kept\n');
    await bankImportCommand(XLSX, { out: dir.dir, force: true }, () => {});
    expect(loadBanks([dir.dir]).questions).toHaveLength(3);
    expect(readdirSync(dir.dir)).toEqual(['youchuan-jingying-xuke.yaml']); // no temporary file left
  });

  it('--matter sets the id of a one-matter table and refuses a table of several matters', async () => {
    const [draft] = buildDrafts(await readTable(XLSX), { matterId: 'boat-ops' });
    expect(draft!.fileName).toBe('boat-ops.yaml');
    expect(draft!.text).toMatch(/- id: bo-materials-01/);
    const err = await thrown(async () => buildDrafts(await readTable(CSV), { matterId: 'fishing' }));
    expect(err.message).toMatch(/--matter names one matter, but .* holds 2: 渔业捕捞许可证核发, 农家乐开办/);
  });
});

describe('bank variants', () => {
  it('typos replace characters by homophones (same pinyin and tone) taken from the banks\' text', () => {
    const banks = loadBanks(['question-banks/matters']);
    const index = createHomophoneIndex(bankTexts(banks));
    const vocabulary = new Set(bankTexts(banks).join(''));
    let checked = 0;
    for (const q of banks.questions.filter((x) => !x.turns).slice(0, 60)) {
      const typo = typoVariant(q.text, index, 7);
      if (!typo) continue;
      expect(typo.text).not.toBe(q.text);
      expect(typo.changes.length).toBeGreaterThanOrEqual(1);
      expect(typo.changes.length).toBeLessThanOrEqual(2);
      const context = pinyin(q.text, { type: 'array', toneType: 'num' });
      for (const c of typo.changes) {
        expect(c.to).not.toBe(c.from);
        expect(q.text[c.index]).toBe(c.from);
        expect(typo.text[c.index]).toBe(c.to);
        expect(context[c.index]).toBe(c.pinyin);
        expect(pinyin(c.to, { toneType: 'num' })).toBe(c.pinyin);
        expect(vocabulary.has(c.to)).toBe(true);
        checked++;
      }
      // Nothing but the replaced characters changed.
      const diff = [...q.text].filter((ch, i) => typo.text[i] !== ch).length;
      expect(diff).toBe(typo.changes.length);
    }
    expect(checked).toBeGreaterThan(40);
  });

  it.each([
    ['请问办理居住证需要哪些材料？', '办居住证要啥材料啊'],
    ['是否可以网上办理？', '能不能网上办啊'],
    ['补办需要多长时间', '补办要多久啊'],
  ])('colloquial: %s → %s', (text, expected) => {
    expect(colloquialVariant(text)).toBe(expected);
  });

  it('colloquial proposes nothing when no rule applies; terse keeps the content words', () => {
    expect(colloquialVariant('营业执照丢了')).toBeUndefined();
    expect(terseVariant('请问我的营业执照丢了怎么补办？')).toBe('营业执照丢补办');
    expect(terseVariant('营业执照补办')).toBeUndefined();
  });

  it('proposes nothing that repeats a variant, and skips multi-turn scripts', () => {
    const banks = loadBanks([BANK]);
    const proposals = proposeVariants(banks);
    expect(proposals.some((p) => p.questionId === 'fl-clarify-01')).toBe(false);
    expect(proposals.find((p) => p.questionId === 'fl-time-limit-02' && p.style === 'colloquial')?.text).toBe('营运证到期了要不要重新办啊');
    const only = proposeVariants(banks, { questions: ['fl-time-limit-01'], styles: ['typo'] });
    expect(only).toEqual([
      { questionId: 'fl-time-limit-01', style: 'typo', text: '渡船营运证多长十间可以办好？', changes: [{ index: 7, from: '时', to: '十', pinyin: 'shi2' }] },
    ]);
  });

  it('--write adds the proposals under each question, keeps every line of the file, and a second run adds nothing', () => {
    using dir = tempDir();
    const file = dir.path('bank.yaml');
    copyFileSync(BANK, file);
    const before = readFileSync(file, 'utf8');
    const log = captured();
    bankVariantsCommand({ bank: [file], write: true }, log.out);
    const after = readFileSync(file, 'utf8');
    expect(log.text()).toMatch(/added 7 variants to .*bank\.yaml/);
    // Only lines were added: the old lines are all there, in order, comments and folded answer included.
    const added = after.split('\n');
    let i = 0;
    for (const line of before.split('\n')) {
      while (i < added.length && added[i] !== line) i++;
      expect(i, `line kept: ${line}`).toBeLessThan(added.length);
    }
    expect(added.length - before.split('\n').length).toBe(8); // 7 variants and the `variants:` key of the question that had none
    expect(after).toContain('      - { style: colloquial, text: 办渡船证要带啥 }   # kept as written\n      - { style: typo, text: 办理渡船营运正需要哪些材料 }\n      - { style: colloquial, text: 办渡船营运证要准备啥材料啊 }');
    const q = loadBanks([file]).questions.find((x) => x.id === 'fl-time-limit-01')!;
    expect(q.variants.map((v) => v.style)).toEqual(['colloquial', 'terse', 'typo']);

    const again = captured();
    bankVariantsCommand({ bank: [file], write: true }, again.out);
    expect(again.text()).toMatch(/nothing to add/);
    expect(readFileSync(file, 'utf8')).toBe(after);
  });

  it('an unknown style or question is a user error naming the option', () => {
    expect(() => bankVariantsCommand({ bank: [BANK], styles: 'typo,slang' }, () => {})).toThrow(/--styles: unknown style "slang"; expected .*colloquial, terse, typo/);
    expect(() => bankVariantsCommand({ bank: [BANK], question: ['nope-01'] }, () => {})).toThrow(/--question: no question "nope-01"/);
  });
});

describe('bank stats', () => {
  it('counts coverage per matter, aspect and style, and flags what is below target', () => {
    const stats = bankStats(loadBanks([BANK]));
    const [m] = stats.matters;
    expect(m).toMatchObject({ id: 'ferry-licence', questions: 4, scripts: 1, clarifyScripts: 1, critical: 1, facts: 3, keyPoints: 6, variants: { colloquial: 2, typo: 2, indirect: 1 } });
    expect(m!.aspects.map((a) => [a.id, a.questions, a.facts, a.keyPoints])).toEqual([
      ['materials', 2, 0, 4],
      ['time-limit', 2, 3, 2],
      ['fees', 0, 0, 0],
    ]);
    expect(stats.flags.map((f) => [f.kind, f.question ?? f.aspect ?? f.matter, f.count, f.wanted])).toEqual([
      ['few-questions', 'ferry-licence', 4, 25],
      ['few-aspects', 'ferry-licence', 3, 8],
      ['few-clarify-scripts', 'ferry-licence', 1, 2],
      ['empty-aspect', 'fees', 0, 1],
      ['few-variants', 'fl-materials-01', 2, 3],
      ['few-variants', 'fl-time-limit-01', 0, 3],
    ]);
    expect(stats.flags.find((f) => f.question === 'fl-time-limit-01')!.pos!.line).toBe(30);
  });

  it('prints JSON through the CLI', async () => {
    const r = await runCli(['bank', 'stats', '--bank', BANK, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { totals: { questions: number; variants: Record<string, number> } };
    expect(json.totals.questions).toBe(4);
    expect(json.totals.variants).toEqual({ colloquial: 2, typo: 2, indirect: 1 });
  });
});
