import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Case, JudgedVerdict, Target, TokenUsage } from '../src/domain/types.js';
import { cacheKey, createLlmJudge, type LlmJudgeOptions } from '../src/judge/llm/index.js';
import { openStore } from '../src/store/index.js';
import { UserError } from '../src/util/errors.js';
import { tempDir } from './helpers.js';
import { startOpenAiServer, type OpenAiTestServer } from './helpers-openai-server.js';
import { inputFor, loadTestBanks, modelOutput } from './llm-judge-fixtures.js';

const banks = loadTestBanks();
const RUBRIC = readFileSync('judges/llm/rubric.md', 'utf8').trim();
const FENCED = /<<<ANSWER-([0-9a-f]{12})\n([\s\S]*?)\nANSWER-\1>>>/;
const GOOD_ANSWER = '您好，办理养犬登记需提交养犬登记申请表和犬只免疫证明。';

let server: OpenAiTestServer;
beforeAll(async () => {
  server = await startOpenAiServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function judgeWith(opts: Partial<LlmJudgeOptions> = {}) {
  return createLlmJudge({ banks, endpoint: { baseURL: server.baseURL, model: 'judge-model-1' }, retries: 2, retryDelayMs: 0, timeoutMs: 5000, ...opts });
}

describe('what the endpoint receives', () => {
  it('sends the rubric, the reference and the answer fenced as data, at temperature 0', async () => {
    server.push({ json: modelOutput() });
    const v = await judgeWith().judge(inputFor(banks, 'dog-materials-01', GOOD_ANSWER));
    expect(v.status).toBe('judged');
    expect(server.requests).toHaveLength(1);
    const { body } = server.requests[0]!;
    expect(body.model).toBe('judge-model-1');
    expect(body.temperature).toBe(0);
    expect(body.tools?.[0]?.function.name).toBe('judgement');
    const [system, user] = body.messages!;
    expect(system!.role).toBe('system');
    expect(system!.content).toContain(RUBRIC);
    expect(user!.role).toBe('user');
    const user_ = String(user!.content);
    const fence = FENCED.exec(user_);
    expect(fence?.[2]).toBe(GOOD_ANSWER);
    // The answer appears once, inside the fence, after the instruction to treat it as data.
    expect(user_.split(GOOD_ANSWER)).toHaveLength(2);
    expect(user_.indexOf('quoted below as data')).toBeLessThan(fence!.index);
    expect(String(system!.content)).not.toContain(GOOD_ANSWER);
    for (const piece of ['养犬登记', '申请材料', 'dog-registration/materials', '- form: 养犬登记申请表', '- days: 10个工作日内办结; 10 工作日', '- c2: /不用(办|登记)/', 'out-of-scope/chit-chat: 超出服务范围 / 闲聊']) {
      expect(user_).toContain(piece);
    }
    expect(user_).toContain('办理养犬登记需要什么材料？');
  });

  it('fills every placeholder and never expands one written inside the answer', async () => {
    server.push({ json: modelOutput() });
    const sly = '请参考 {{rubric}} 与 {{referenceAnswer}}';
    await judgeWith().judge(inputFor(banks, 'dog-materials-01', sly));
    const text = server.requests[0]!.body.messages!.map((m) => String(m.content)).join('\n');
    expect(FENCED.exec(text)?.[2]).toBe(sly);
    expect(text.replace(sly, '')).not.toMatch(/\{\{\s*[A-Za-z]+\s*\}\}/);
  });

  it('shows a script up to the judged turn and says when that turn expects a clarifying question', async () => {
    server.push({ json: modelOutput() }, { json: modelOutput() });
    const judge = judgeWith();
    await judge.judge(inputFor(banks, 'dog-clarify-01', '请问您要办理哪一种证？', 0));
    await judge.judge(inputFor(banks, 'dog-clarify-01', GOOD_ANSWER, 1));
    const [first, second] = server.requests.map((r) => String(r.body.messages![1]!.content));
    expect(first).toContain('1. 我想办个证  ← the answer replies to this turn');
    expect(first).not.toContain('养狗用的那个');
    expect(first).toContain('This turn expects a clarifying question');
    expect(second).toContain('2. 养狗用的那个  ← the answer replies to this turn');
    expect(second).not.toContain('This turn expects a clarifying question');
  });

  it('never carries the target: a canary target name appears nowhere in any request', async () => {
    const target = { id: 'canary-city-x9', name: '金丝雀市九号' } satisfies Partial<Target>;
    const kase: Case = { targetId: target.id, questionId: 'dog-materials-01', variant: 1, style: 'colloquial', repeat: 0 };
    // What a runner passes on from a finished case: the question and the reply, nothing about who replied.
    server.push({ json: modelOutput() }, { status: 500 }, { json: modelOutput() });
    const judge = judgeWith();
    await judge.judge(inputFor(banks, kase.questionId, GOOD_ANSWER));
    await judge.judge(inputFor(banks, kase.questionId, '需要申请表。'));
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
    for (const r of server.requests) {
      const everything = `${r.path}\n${JSON.stringify(r.headers)}\n${r.text}`;
      expect(everything).not.toContain(target.id);
      expect(everything).not.toContain(target.name);
    }
  });

  it.each([
    ['jsonSchema', 'json_schema'],
    ['jsonMode', 'json_object'],
  ] as const)('method %s asks for %s and reads the reply from the content', async (method, format) => {
    server.push({ json: modelOutput({ keyPointsFound: ['form'] }) });
    const v = await judgeWith({ method }).judge(inputFor(banks, 'dog-materials-01', GOOD_ANSWER));
    expect(v).toMatchObject({ status: 'judged', verdict: 'partial', accuracy: 0.5 });
    const { body } = server.requests[0]!;
    expect(body.response_format?.type).toBe(format);
    expect(body.tools).toBeUndefined();
    // A back end in JSON mode is not sent the schema, so the prompt has to carry it.
    const system = String(body.messages![0]!.content);
    expect(system.includes('"contradictionsFound"')).toBe(method === 'jsonMode');
  });
});

describe('verdicts', () => {
  it('computes accuracy from the evidence, not from the verdict the model states', async () => {
    server.push({ json: modelOutput({ keyPointsFound: ['form'], verdict: 'correct' }) });
    const v = await judgeWith().judge(inputFor(banks, 'dog-materials-01', '需要申请表。'));
    expect(v).toMatchObject({ status: 'judged', judge: 'llm', turn: 0, verdict: 'partial', intentRecognized: true, keyPointsHit: ['form'] });
    expect((v as JudgedVerdict).accuracy).toBeCloseTo(0.5);
    expect((v as JudgedVerdict).rationale).toContain('the model said correct; the rubric gives partial');
  });

  it('drops ids the reference does not have and says so', async () => {
    server.push({ json: modelOutput({ keyPointsFound: ['form', 'vaccine', 'made-up'], factErrors: ['ghost'], verdict: 'correct' }) });
    const v = (await judgeWith().judge(inputFor(banks, 'dog-materials-01', GOOD_ANSWER))) as JudgedVerdict;
    expect(v).toMatchObject({ verdict: 'correct', accuracy: 1, keyPointsHit: ['form', 'vaccine'], factErrors: [] });
    expect(v.rationale).toContain('made-up');
    expect(v.rationale).toContain('ghost');
  });

  it('decides an empty reply without asking the model', async () => {
    const v = await judgeWith().judge(inputFor(banks, 'dog-materials-01', '  \n '));
    expect(v).toMatchObject({ status: 'judged', verdict: 'no-answer', accuracy: 0, intentRecognized: false });
    expect(server.requests).toHaveLength(0);
  });
});

describe('failures leave the case unjudged with the reason', () => {
  const BAD_REPLIES = [
    ['malformed JSON', { text: '{"verdict": "correct", ' }, 'not valid JSON'],
    ['a verdict outside the schema', { json: modelOutput({ verdict: 'excellent' as never }) }, 'verdict: Invalid option'],
    ['a missing field', { json: { verdict: 'correct' } }, 'does not match the schema: intentReasoning'],
    ['an intent that was never loaded', { json: modelOutput({ predictedIntent: 'made-up/intent' as never }) }, 'predictedIntent'],
  ] as const;
  const METHODS = ['functionCalling', 'jsonSchema', 'jsonMode'] as const;
  it.each(METHODS.flatMap((m) => BAD_REPLIES.map(([what, reply, reason]) => [m, what, reply, reason] as const)))(
    '%s, %s: retried, then unjudged',
    async (method, _, reply, reason) => {
      server.push(reply, reply, reply);
      const v = await judgeWith({ retries: 2, method }).judge(inputFor(banks, 'dog-materials-01', GOOD_ANSWER));
      expect(server.requests).toHaveLength(3);
      expect(v.status).toBe('unjudged');
      expect(v.status === 'unjudged' && v.reason).toContain(reason);
      expect(v.status === 'unjudged' && v.reason).toContain('3 attempt(s)');
    },
  );

  it('uses a good reply that follows a bad one', async () => {
    server.push({ text: 'not json at all' }, { json: modelOutput() });
    const v = await judgeWith({ retries: 1 }).judge(inputFor(banks, 'dog-materials-01', GOOD_ANSWER));
    expect(v).toMatchObject({ status: 'judged', verdict: 'correct' });
    expect(server.requests).toHaveLength(2);
  });

  it('an endpoint answering 500 is retried, then the case is unjudged', async () => {
    server.push({ status: 500 }, { status: 500 });
    const v = await judgeWith({ retries: 1 }).judge(inputFor(banks, 'dog-materials-01', GOOD_ANSWER));
    expect(server.requests).toHaveLength(2);
    expect(v).toMatchObject({ status: 'unjudged', judge: 'llm', turn: 0 });
    expect(v.status === 'unjudged' && v.reason).toMatch(/HTTP 500.*×2/);
  });

  it('a rejected key is not retried', async () => {
    server.push({ status: 401, message: 'invalid api key' });
    const v = await judgeWith({ retries: 2 }).judge(inputFor(banks, 'dog-materials-01', GOOD_ANSWER));
    expect(server.requests).toHaveLength(1);
    expect(v.status === 'unjudged' && v.reason).toContain('HTTP 401');
  });

  it('an endpoint that never answers is given up on after the timeout', async () => {
    server.push({ hang: true }, { hang: true });
    // Were the timeout not applied, the judge would wait on the hung endpoint for good.
    const v = await judgeWith({ retries: 1, timeoutMs: 300 }).judge(inputFor(banks, 'dog-materials-01', GOOD_ANSWER));
    expect(server.requests).toHaveLength(2);
    expect(v.status === 'unjudged' && v.reason).toContain('no reply within 300 ms');
  });

  it('an endpoint that is not there leaves the case unjudged', async () => {
    const gone = await startOpenAiServer();
    const baseURL = gone.baseURL;
    await gone.close();
    const judge = createLlmJudge({ banks, endpoint: { baseURL, model: 'm' }, retries: 1, retryDelayMs: 0, timeoutMs: 2000 });
    const v = await judge.judge(inputFor(banks, 'dog-materials-01', GOOD_ANSWER));
    expect(v.status).toBe('unjudged');
    expect(v.status === 'unjudged' && v.reason).toContain('2 attempt(s)');
  });
});

describe('the cache', () => {
  it('serves a verdict already paid for, across judge instances, from a SQLite file', async () => {
    using dir = tempDir();
    const dbPath = join(dir.dir, 'govbench.db');
    const input = inputFor(banks, 'dog-materials-01', GOOD_ANSWER);
    const usage: [TokenUsage, boolean, boolean][] = [];
    const onUsage = (u: TokenUsage, cached: boolean, failed: boolean) => usage.push([u, cached, failed]);

    server.push({ json: modelOutput() });
    const store1 = openStore(dbPath);
    const first = await judgeWith({ cache: store1.judgeCache, onUsage }).judge(input);
    // What the verdict cost and which rubric gave it is kept in the file, beyond what the cache hands out.
    const conn = new Database(dbPath, { readonly: true });
    const row = conn.prepare('SELECT model, rubric_hash, prompt_tokens, completion_tokens FROM judge_cache').get();
    conn.close();
    expect(row).toEqual({ model: 'judge-model-1', rubric_hash: judgeWith().rubricHash, prompt_tokens: 120, completion_tokens: 30 });
    expect(await judgeWith({ cache: store1.judgeCache, onUsage }).judge(input)).toEqual(first);
    store1.close();
    expect(server.requests).toHaveLength(1);

    const store2 = openStore(dbPath);
    const again = await judgeWith({ cache: store2.judgeCache, onUsage }).judge(input);
    expect(again).toEqual(first);
    expect(server.requests).toHaveLength(1);
    expect(usage.map(([, cached]) => cached)).toEqual([false, true, true]);

    // Another answer, another model or another rubric is another key.
    server.push({ json: modelOutput() }, { json: modelOutput() });
    await judgeWith({ cache: store2.judgeCache }).judge({ ...input, answer: `${GOOD_ANSWER}。` });
    await createLlmJudge({ banks, cache: store2.judgeCache, endpoint: { baseURL: server.baseURL, model: 'judge-model-2' } }).judge(input);
    expect(server.requests).toHaveLength(3);
    store2.close();
  });

  it('keys on the reference, so a changed bank entry is judged again', () => {
    const input = inputFor(banks, 'dog-materials-01', GOOD_ANSWER);
    const changed = { ...input, question: { ...input.question, reference: { ...input.question.reference, minKeyPoints: 3 } } };
    expect(cacheKey('m', 'h', changed)).not.toBe(cacheKey('m', 'h', input));
    expect(cacheKey('m', 'h', { ...input, turn: 1 })).not.toBe(cacheKey('m', 'h', input));
    expect(cacheKey('m', 'h', input)).toBe(cacheKey('m', 'h', { ...input }));
  });

  it('leaves to the caller what fails in our own code (a cache that throws): a bug, not an unjudged case', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'get')");
    const cache = { get: () => { throw bug; }, set: () => {} };
    await expect(judgeWith({ cache }).judge(inputFor(banks, 'dog-materials-01', GOOD_ANSWER))).rejects.toBe(bug);
    expect(server.requests).toHaveLength(0);
  });

  it('does not cache an unjudged case', async () => {
    using dir = tempDir();
    const store = openStore(join(dir.dir, 'g.db'));
    server.push({ status: 500 }, { json: modelOutput() });
    const input = inputFor(banks, 'dog-materials-01', GOOD_ANSWER);
    expect((await judgeWith({ cache: store.judgeCache, retries: 0 }).judge(input)).status).toBe('unjudged');
    expect((await judgeWith({ cache: store.judgeCache, retries: 0 }).judge(input)).status).toBe('judged');
    expect(server.requests).toHaveLength(2);
    store.close();
  });
});

describe('usage, concurrency and configuration', () => {
  it('reports token counts of every request, failed ones included', async () => {
    const calls: [TokenUsage, boolean, boolean][] = [];
    server.push({ text: '{oops', usage: { prompt_tokens: 900, completion_tokens: 5 } }, { json: modelOutput(), usage: { prompt_tokens: 1000, completion_tokens: 80 } });
    await judgeWith({ onUsage: (u, c, f) => calls.push([u, c, f]) }).judge(inputFor(banks, 'dog-materials-01', GOOD_ANSWER));
    expect(calls).toEqual([
      [{ promptTokens: 900, completionTokens: 5 }, false, true],
      [{ promptTokens: 1000, completionTokens: 80 }, false, false],
    ]);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const slow = () => ({ json: modelOutput(), delayMs: 80 });
    server.push(slow, slow, slow, slow, slow);
    const judge = judgeWith({ concurrency: 2 });
    const answers = ['需要申请表。', '需要免疫证明。', '需要住所证明。', '申请表和免疫证明。', '免疫证明和住所证明。'];
    const verdicts = await Promise.all(answers.map((a) => judge.judge(inputFor(banks, 'dog-materials-01', a))));
    expect(verdicts.every((v) => v.status === 'judged')).toBe(true);
    expect(server.requests).toHaveLength(5);
    expect(server.maxInFlight).toBe(2);
  });

  it('takes the key from ${VAR}, sends it, and keeps it out of every reason', async () => {
    const secret = 'sk-test-5f1c0ffee';
    server.push((req) => ({ status: 500, message: `upstream rejected ${String(req.headers.authorization)}` }));
    const judge = judgeWith({ endpoint: { baseURL: server.baseURL, model: 'm', apiKey: '${JUDGE_KEY}' }, env: { JUDGE_KEY: secret }, retries: 0 });
    const v = await judge.judge(inputFor(banks, 'dog-materials-01', GOOD_ANSWER));
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${secret}`);
    expect(v.status).toBe('unjudged');
    expect(JSON.stringify(v)).not.toContain(secret);
    expect(JSON.stringify(judge)).not.toContain(secret);
  });

  it.each([
    ['an unset ${VAR}', { endpoint: { baseURL: 'http://127.0.0.1:1/v1', model: 'm', apiKey: '${NOPE_NOT_SET}' }, env: {} }, /NOPE_NOT_SET.*not set/],
    ['a baseURL that is not http', { endpoint: { baseURL: 'ftp://x/v1', model: 'm' } }, /endpoint\.baseURL/],
    ['no model', { endpoint: { baseURL: 'http://127.0.0.1:1/v1', model: ' ' } }, /endpoint\.model/],
    ['concurrency 0', { concurrency: 0 }, /`concurrency`/],
    ['negative retries', { retries: -1 }, /`retries`/],
    ['an unknown method', { method: 'xml' }, /`method` must be one of functionCalling, jsonSchema, jsonMode/],
  ])('rejects %s with a UserError naming the option', (_, opts, message) => {
    expect(() => judgeWith(opts as Partial<LlmJudgeOptions>)).toThrow(UserError);
    expect(() => judgeWith(opts as Partial<LlmJudgeOptions>)).toThrow(message);
  });
});

describe('templates', () => {
  it('versions the judge by the rubric hash and the model; editing the rubric changes both hash and cache key', async () => {
    using dir = tempDir();
    cpSync('judges/llm', dir.dir, { recursive: true });
    const shipped = judgeWith();
    const copy = judgeWith({ templatesDir: dir.dir });
    expect(copy.rubricHash).toBe(shipped.rubricHash);
    expect(shipped.version).toBe(`${shipped.rubricHash.slice(0, 16)}@judge-model-1`);
    writeFileSync(join(dir.dir, 'rubric.md'), `${readFileSync(join(dir.dir, 'rubric.md'), 'utf8')}\nOne more rule.\n`);
    const edited = judgeWith({ templatesDir: dir.dir });
    expect(edited.rubricHash).not.toBe(shipped.rubricHash);
    expect(edited.version).not.toBe(shipped.version);
  });

  it.each([
    ['an unknown placeholder', (t: string) => t.replace('{{matter}}', '{{city}}'), /prompt\.yaml:\d+:\d+: user: unknown placeholder \{\{city\}\}/],
    ['a prompt without the answer', (t: string) => t.replace('  {{answer}}\n', '\n'), /user: expected \{\{answer\}\} exactly once/],
    ['a missing field description', (t: string) => t.replace(/\n {2}reasoning: .*\n/, '\n'), /fields/],
  ])('rejects a template file with %s, pointing at the line', (_, edit, message) => {
    using dir = tempDir();
    cpSync('judges/llm', dir.dir, { recursive: true });
    const file = join(dir.dir, 'prompt.yaml');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    expect(() => judgeWith({ templatesDir: dir.dir })).toThrow(message);
  });

});
