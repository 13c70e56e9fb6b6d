/**
 * Issue 7, "Secrets": a canary passed through `${VAR}` — in an http-json target's headers, body
 * template, URL path and query, an openai-chat target's apiKey, and the LLM judge's key — reaches the
 * servers but nothing govbench writes or prints: the database (with -wal/-shm), every report format,
 * stdout and stderr of every command, and error messages. The servers echo everything they receive,
 * in good replies and in error pages, the way debug endpoints and careless gateways do.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapter } from '../src/adapters/index.js';
import { RAW_LIMIT } from '../src/adapters/utils/adapter-error.js';
import type { AdapterConfig } from '../src/domain/types.js';
import { loopbackServer, runCli, sendJson, tempDir, type CliOutcome, type LoopbackServer } from './helpers.js';
import { promptText, startOpenAiServer, type OpenAiTestServer, type RecordedRequest } from './helpers-openai-server.js';

const CANARY = 'sk-canary-7f3a9c';
const JUDGE_CANARY = 'sk-judge-canary-41d2e8';
const CANARIES = [CANARY, JUDGE_CANARY];

/** Phrasings that make the echoing servers fail: an HTML 500 page, a 200 that is not JSON. */
const FAIL_500 = '系统故障测试';
const NOT_JSON = '非JSON测试';

const BANK = `matter:
  id: boat-permit
  name: 船只许可
aspects:
  - { id: fees, name: 收费 }
questions:
  - id: bp-fees-01
    aspect: fees
    text: 办船只许可要交钱吗？
    variants:
      - { style: colloquial, text: 办船证收钱不 }
      - { style: indirect, text: ${NOT_JSON}：办船证收钱不 }
    reference:
      answer: 不收费。
      keyPoints:
        - { id: free, text: 不收费, match: [不收费, 免费] }
  - id: bp-fees-02
    aspect: fees
    text: ${FAIL_500}：船只许可收费标准是什么？
    reference:
      answer: 不收费。
      keyPoints:
        - { id: free, text: 不收费, match: [不收费, 免费] }
`;

const targetsYaml = (httpUrl: string, openAiUrl: string) => `targets:
  - id: city-http
    name: 甲市
    region: east
    adapter:
      type: http-json
      url: ${httpUrl}/bot/\${GB_CANARY}/chat?key=\${GB_CANARY}&lang=zh
      headers: { Authorization: "Bearer \${GB_CANARY}", X-Api-Key: "\${GB_CANARY}" }
      body: { question: "{{message}}", token: "\${GB_CANARY}", sessionId: "{{sessionId}}" }
      reply: $.data.answer
      session: $.data.sid
    limits: { retries: 0, timeoutMs: 5000 }
  - id: city-openai
    name: 乙市
    region: south
    adapter:
      type: openai-chat
      baseURL: ${openAiUrl}
      model: echo-model
      apiKey: \${GB_CANARY}
      headers: { X-Trace: "trace-\${GB_CANARY}" }
      stream: false
    limits: { retries: 0, timeoutMs: 5000 }
`;

const govbench = runCli;

/** Everything a request carried, as a debugging gateway would print it back. */
const echoOf = (req: IncomingMessage, body: string) => JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body });

/** Where a canary shows up in a text, with some context, for the failure message. */
function leaks(label: string, text: string): string[] {
  return CANARIES.flatMap((c) => {
    const at = text.indexOf(c);
    return at < 0 ? [] : [`${label}: …${text.slice(Math.max(0, at - 80), at + c.length + 20)}…`];
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

describe('secrets: a ${VAR} canary never leaves the process that sends it', () => {
  const dir = tempDir({ 'bank.yaml': BANK });
  const db = dir.path('results/g.db');
  const outputs: { label: string; text: string }[] = [];
  const httpRequests: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  let http: LoopbackServer;
  let openAi: OpenAiTestServer;
  let run: CliOutcome;
  let holder: Database.Database | undefined;

  beforeAll(async () => {
    http = await loopbackServer((req, res, body) => {
      httpRequests.push({ url: req.url ?? '', headers: req.headers, body });
      const echo = echoOf(req, body);
      if (req.method !== 'POST') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(echo);
      } else if (body.includes(FAIL_500)) {
        res.writeHead(500, { 'content-type': 'text/html' }).end(`<html><body><h1>500 Internal Server Error</h1><pre>${echo}</pre></body></html>`);
      } else if (body.includes(NOT_JSON)) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`debug dump: ${echo}`);
      } else {
        sendJson(res, 200, { data: { answer: `不收费。您的请求：${echo}`, sid: `sid-${req.headers.authorization ?? ''}` } });
      }
    });
    // One server plays the openai-chat target (plain content) and the LLM judge (tool calls).
    openAi = await startOpenAiServer((req: RecordedRequest) => {
      const seen = `authorization=${String(req.headers.authorization)} x-trace=${String(req.headers['x-trace'])}`;
      const prompt = promptText(req);
      if (!req.body.tools) {
        if (prompt.includes(FAIL_500)) return { status: 401, message: `Incorrect API key provided: ${seen}` };
        return { text: `不收费。（调试：${seen}）` };
      }
      if (prompt.includes('收钱不')) return { status: 401, message: `Incorrect API key provided: ${seen}` };
      return {
        json: {
          intentReasoning: `asked about fees; request headers were ${seen}`,
          predictedIntent: 'boat-permit/fees',
          intentRecognized: true,
          clarifyingQuestion: false,
          keyPointsFound: ['free'],
          factErrors: [],
          contradictionsFound: [],
          reasoning: `states it is free. Debug: ${seen}`,
          verdict: 'correct',
        },
      };
    });
    const targets = dir.path('targets.yaml');
    writeFileSync(targets, targetsYaml(http.url, openAi.baseURL));
    // A second connection kept open keeps govbench's -wal file from being folded back and removed on
    // close, so its bytes are on disk to be searched too.
    mkdirSync(dir.path('results'));
    holder = new Database(db);
    holder.pragma('journal_mode = WAL');
    holder.pragma('user_version');
    const env = {
      GB_CANARY: CANARY,
      GOVBENCH_LLM_BASE_URL: openAi.baseURL,
      GOVBENCH_LLM_MODEL: 'judge-model',
      GOVBENCH_LLM_API_KEY: JUDGE_CANARY,
    };
    run = await govbench(['run', '--bank', dir.path('bank.yaml'), '--targets', targets, '--db', db, '--judge', 'both', '--label', 'canary'], env);
    outputs.push({ label: 'run stdout', text: run.stdout }, { label: 'run stderr', text: run.stderr });
    const reports = await Promise.all(
      (['md', 'json', 'html', 'junit'] as const).map(async (format) => [format, await govbench(['report', 'latest', '--db', db, '--format', format], env)] as const),
    );
    const csv = await govbench(['report', 'latest', '--db', db, '--format', 'csv', '--out', dir.path('results/cases.csv')], env);
    for (const [format, r] of [...reports, ['csv', csv] as const]) {
      outputs.push({ label: `report ${format} stdout (exit ${r.code})`, text: r.stdout }, { label: `report ${format} stderr`, text: r.stderr });
    }
  }, 60_000);

  afterAll(async () => {
    holder?.close();
    await http?.close();
    await openAi?.close();
    dir[Symbol.dispose]();
  });

  it('the run finished, with the failing phrasings stored as failures', () => {
    expect(run.code, run.stderr).toBe(0);
    for (const o of outputs.filter((x) => x.label.includes('stdout (exit'))) expect(o.label).toMatch(/exit 0/);
  });

  it('the servers did receive the canary everywhere it was configured', () => {
    const post = httpRequests.find((r) => r.body.includes('"question"'))!;
    expect(post.url).toBe(`/bot/${CANARY}/chat?key=${CANARY}&lang=zh`);
    expect(post.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(post.headers['x-api-key']).toBe(CANARY);
    expect(JSON.parse(post.body)).toMatchObject({ token: CANARY });
    const target = openAi.requests.filter((r) => !r.body.tools);
    const judge = openAi.requests.filter((r) => r.body.tools);
    expect(target.length).toBeGreaterThan(0);
    expect(judge.length).toBeGreaterThan(0);
    for (const r of target) expect([r.headers.authorization, r.headers['x-trace']]).toEqual([`Bearer ${CANARY}`, `trace-${CANARY}`]);
    for (const r of judge) expect(r.headers.authorization).toBe(`Bearer ${JUDGE_CANARY}`);
  });

  it('the echoes were stored, masked: replies, raw bodies, error messages and judge rationales', () => {
    const store = new Database(db, { readonly: true });
    try {
      const turns = store.prepare('SELECT reply, raw, error, ok FROM turns').all() as { reply: string; raw: string; error: string | null; ok: number }[];
      const text = JSON.stringify(turns);
      expect(turns.some((t) => t.ok === 1 && t.reply.includes('Bearer ***'))).toBe(true);
      // The raw body holds the echoed request body as JSON in a string in JSON: quotes escaped twice.
      expect(turns.some((t) => t.ok === 1 && /token\W+\*\*\*/.test(t.raw))).toBe(true);
      expect(turns.some((t) => t.error?.includes('HTTP 500') && t.error.includes('***'))).toBe(true);
      expect(turns.some((t) => t.error?.includes('not JSON') && t.error.includes('***'))).toBe(true);
      expect(turns.some((t) => t.error?.includes('HTTP 401') && t.error.includes('***'))).toBe(true);
      expect(text).toContain('/bot/***/chat?key=***');
      const verdicts = store.prepare(`SELECT rationale, reason FROM verdicts WHERE judge = 'llm'`).all() as { rationale: string | null; reason: string | null }[];
      expect(verdicts.some((v) => v.rationale?.includes('states it is free'))).toBe(true);
      expect(verdicts.some((v) => v.reason?.includes('HTTP 401'))).toBe(true);
    } finally {
      store.close();
    }
  });

  it('no file under the results folder holds a canary: database, -wal/-shm, every report', () => {
    const files = filesUnder(dir.path('results'));
    expect(files.map((f) => f.slice(dir.path('results').length + 1)).sort()).toEqual(
      expect.arrayContaining(['g.db', 'g.db-wal', 'g.db-shm', 'cases.csv', 'cases.targets.csv', expect.stringMatching(/\.html$/), expect.stringMatching(/\.md$/), expect.stringMatching(/\.json$/)]),
    );
    expect(statSync(`${db}-wal`).size).toBeGreaterThan(0);
    const found = files.flatMap((f) => leaks(f, readFileSync(f).toString('latin1')).concat(leaks(f, readFileSync(f, 'utf8'))));
    expect(found).toEqual([]);
  });

  it('no command printed a canary, on stdout or stderr', () => {
    expect(outputs.length).toBe(12);
    expect(outputs.flatMap((o) => leaks(o.label, o.text))).toEqual([]);
    expect(outputs.find((o) => o.label.startsWith('report html stdout'))!.text).toMatch(/<html/);
  });
});

describe('secrets: a canary straddling the cut of a stored raw body is masked whole', () => {
  /** A reply body whose canary starts 5 characters before RAW_LIMIT, so a cut before masking keeps "sk-ca". */
  function straddling(build: (content: string) => string): string {
    const marker = 'MARKER';
    const at = build(marker).indexOf(marker);
    return build(`${'a'.repeat(RAW_LIMIT - 5 - at)}${CANARY} 不收费`);
  }

  it.each<[string, (url: string) => AdapterConfig, (content: string) => string]>([
    [
      'http-json',
      (url) => ({ type: 'http-json', url: `${url}/chat`, method: 'POST', headers: { authorization: 'Bearer ${GB_CANARY}' }, reply: '$.answer' }),
      (content) => JSON.stringify({ answer: content }),
    ],
    [
      'openai-chat',
      (url) => ({ type: 'openai-chat', baseURL: `${url}/v1`, model: 'm', apiKey: '${GB_CANARY}', stream: false }),
      (content) =>
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
    ],
  ])('%s', async (_, config, build) => {
    const body = straddling(build);
    expect(body.indexOf(CANARY)).toBe(RAW_LIMIT - 5);
    const server = await loopbackServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    try {
      const adapter = createAdapter(config(server.url), { GB_CANARY: CANARY });
      const reply = await adapter.open().send('收费吗', AbortSignal.timeout(5000));
      expect(reply.text).toContain('***');
      expect(reply.raw.length).toBeLessThanOrEqual(RAW_LIMIT);
      expect(reply.raw.slice(-8)).not.toContain(CANARY.slice(0, 5));
    } finally {
      await server.close();
    }
  });
});

describe("secrets: each adapter masks its own secrets in a bug's stack", () => {
  it.each<[string, AdapterConfig]>([
    ['http-json', { type: 'http-json', url: 'http://127.0.0.1:9/chat', method: 'POST', headers: { authorization: 'Bearer ${GB_CANARY}' }, reply: '$.answer' }],
    ['openai-chat', { type: 'openai-chat', baseURL: 'http://127.0.0.1:9/v1', model: 'm', apiKey: '${GB_CANARY}', stream: false }],
    [
      'web-widget',
      { type: 'web-widget', url: 'http://127.0.0.1:9/?key=${GB_CANARY}', steps: [], selectors: { input: '#q', botMessage: '.bot' }, quietMs: 100 },
    ],
  ])('%s', async (_, config) => {
    const adapter = createAdapter(config, { GB_CANARY: CANARY });
    try {
      const stack = `TypeError: bad value ${CANARY}\n    at send (adapter.ts:1:1)`;
      // The web-widget adapter loads on first use; a bug can only come from a loaded one.
      if (config.type === 'web-widget') await adapter.probe?.(AbortSignal.timeout(2000));
      expect(adapter.redact?.(stack)).toBe('TypeError: bad value ***\n    at send (adapter.ts:1:1)');
    } finally {
      await adapter.close();
    }
  });
});
