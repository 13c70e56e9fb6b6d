import { afterEach, describe, expect, it } from 'vitest';
import { createHttpJsonAdapter } from '../src/adapters/http-json.js';
import { loadBanks } from '../src/banks/load-banks.js';
import type { TargetRegistry } from '../src/config/load-targets.js';
import { personaSchema, type Persona } from '../src/config/targets-schema.js';
import { createFleetServer, simulatedAdapterConfig, type FleetServer } from '../src/demo/index.js';
import { keyPointFound } from '../src/demo/drop-key-points.js';
import type { Question, Target } from '../src/domain/types.js';

const banks = loadBanks(['test/fixtures/demo-bank']);
const question = (id: string): Question => banks.questions.find((q) => q.id === id)!;

const quiet = { latency: { medianMs: 0, jitterMs: 0 } };
const PERSONAS: Record<string, Persona> = {
  exemplary: personaSchema.parse({ description: 'all right', keyPointRate: 1, clarifyRate: 1, redirectRate: 1, ...quiet }),
  outdated: personaSchema.parse({ description: 'wrong numbers', keyPointRate: 1, wrongFactRate: 1, ...quiet }),
  terse: personaSchema.parse({ description: 'half the points', keyPointRate: 0.5, ...quiet }),
  keyword: personaSchema.parse({ description: 'canonical only', keyPointRate: 1, variantPenalty: 1, ...quiet }),
  confused: personaSchema.parse({ description: 'other matters', keyPointRate: 1, wrongMatterRate: 1, ...quiet }),
  sideways: personaSchema.parse({ description: 'other aspects', keyPointRate: 1, wrongAspectRate: 1, ...quiet }),
  inventor: personaSchema.parse({ description: 'never redirects', keyPointRate: 1, redirectRate: 0, clarifyRate: 0, ...quiet }),
  deflector: personaSchema.parse({ description: 'hotline only', keyPointRate: 1, hotlineRate: 1, ...quiet }),
  padded: personaSchema.parse({ description: 'boilerplate', keyPointRate: 1, style: 'padded', ...quiet }),
  html: personaSchema.parse({ description: 'markup', keyPointRate: 1, style: 'html', ...quiet }),
  flaky: personaSchema.parse({ description: 'faults', keyPointRate: 1, faults: { serverError: 0.3, rateLimit: 0.2 }, ...quiet }),
  stalling: personaSchema.parse({ description: 'hangs', keyPointRate: 1, faults: { timeout: 1 }, ...quiet }),
};

function target(id: string, persona: string, extra: Partial<Target> = {}): Target {
  return {
    id,
    name: `模拟·${id}`,
    region: 'east',
    adapter: { type: 'simulated', persona },
    limits: { concurrency: 2, timeoutMs: 200, retries: 0 },
    pos: { file: 'test', line: 1, column: 1 },
    ...extra,
  };
}

const registry: TargetRegistry = {
  file: 'test/demo-fleet.test.ts',
  personas: PERSONAS,
  unconfigured: [],
  targets: [
    ...Object.keys(PERSONAS).map((p) => target(`sim-${p}`, p)),
    { ...target('real-city', 'exemplary'), adapter: { type: 'http-json', url: 'https://example.gov.cn', method: 'POST', headers: {}, reply: '$.a' } },
  ],
};

let fleets: FleetServer[] = [];
afterEach(async () => {
  await Promise.all(fleets.map((f) => f.close()));
  fleets = [];
});

async function startFleet(seed: number | string = 7): Promise<string> {
  const fleet = createFleetServer({ registry, banks, seed });
  fleets.push(fleet);
  return (await fleet.listen(0)).url;
}

interface ChatReply {
  status: number;
  headers: Headers;
  text: string;
  json?: { code: number; message?: string; data?: { answer: string; sessionId: string; trace: Record<string, unknown> } };
}

async function chat(url: string, id: string, body: unknown, init: RequestInit = {}): Promise<ChatReply> {
  const res = await fetch(`${url}/targets/${id}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  const text = await res.text();
  let json: ChatReply['json'];
  try {
    json = JSON.parse(text) as ChatReply['json'];
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, ...(json !== undefined && { json }) };
}

async function answer(url: string, id: string, message: string, sessionId?: string) {
  const r = await chat(url, id, { message, ...(sessionId && { sessionId }) });
  expect(r.status, r.text).toBe(200);
  expect(r.json?.code).toBe(0);
  return r.json!.data!;
}

describe('demo fleet: protocol', () => {
  it('reports health with the simulated targets it serves', async () => {
    const url = await startFleet();
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; targets: string[]; questions: number };
    expect(body.status).toBe('ok');
    expect(body.targets).toContain('sim-exemplary');
    expect(body.targets).not.toContain('real-city');
    expect(body.questions).toBe(banks.questions.length);
  });

  it('answers 404 for an unknown or non-simulated target and an unknown path', async () => {
    const url = await startFleet();
    expect((await chat(url, 'sim-nowhere', { message: '你好' })).status).toBe(404);
    expect((await chat(url, 'real-city', { message: '你好' })).status).toBe(404);
    expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
  });

  it('answers 400 for a body that is not JSON or has no message, 405 for GET on a chat URL', async () => {
    const url = await startFleet();
    const bad = await chat(url, 'sim-exemplary', '{"message": ');
    expect(bad.status).toBe(400);
    expect(bad.json?.message).toMatch(/invalid JSON/);
    expect((await chat(url, 'sim-exemplary', { text: '你好' })).status).toBe(400);
    expect((await chat(url, 'sim-exemplary', { message: '  ' })).status).toBe(400);
    expect((await chat(url, 'sim-exemplary', { message: '你好', sessionId: 42 })).status).toBe(400);
    expect((await chat(url, 'sim-exemplary', [1, 2])).status).toBe(400);
    const get = await fetch(`${url}/targets/sim-exemplary/chat`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('answers a message it does not know with a fallback, not an error', async () => {
    const url = await startFleet();
    const data = await answer(url, 'sim-exemplary', '今天股市怎么样');
    expect(data.answer).toMatch(/没有理解|不会回答|未能识别/);
    expect(data.trace.kind).toBe('unknown');
  });

  it('is reached by the http-json adapter through simulatedAdapterConfig', async () => {
    const url = await startFleet();
    const t = registry.targets.find((x) => x.id === 'sim-html')!;
    const config = simulatedAdapterConfig(t, `${url}/`);
    expect(config).toEqual({
      type: 'http-json',
      url: `${url}/targets/sim-html/chat`,
      method: 'POST',
      headers: {},
      body: { message: '{{message}}', sessionId: '{{sessionId}}' },
      reply: '$.data.answer',
      session: '$.data.sessionId',
    });
    const conversation = createHttpJsonAdapter({ config }).open();
    const reply = await conversation.send(question('rp-materials-01').text, AbortSignal.timeout(5000));
    expect(reply.httpStatus).toBe(200);
    for (const kp of question('rp-materials-01').reference.keyPoints) expect(keyPointFound(reply.text, kp), kp.id).toBe(true);
    await conversation.close();
  });

  it('refuses to build an adapter config for a target that is not simulated', () => {
    const real = registry.targets.find((x) => x.id === 'real-city')!;
    expect(() => simulatedAdapterConfig(real, 'http://127.0.0.1:1')).toThrow(/not simulated/);
    expect(() => simulatedAdapterConfig(registry.targets[0]!, 'localhost:1')).toThrow(/expected http/);
  });
});

describe('demo fleet: determinism', () => {
  const messages = banks.questions.flatMap((q) => [q.text, ...q.variants.map((v) => v.text)]);

  it('gives the same replies for the same seed, on a fresh server too', async () => {
    const a = await startFleet(123);
    const b = await startFleet(123);
    for (const id of ['sim-terse', 'sim-outdated', 'sim-padded']) {
      for (const m of messages) {
        const [x, y, z] = [await answer(a, id, m), await answer(a, id, m), await answer(b, id, m)];
        expect(x.answer).toBe(y.answer);
        expect(x.answer).toBe(z.answer);
      }
    }
  });

  it('gives other replies for another seed', async () => {
    const a = await startFleet(1);
    const b = await startFleet(2);
    const differ = await Promise.all(
      messages.map(async (m) => (await answer(a, 'sim-terse', m)).answer !== (await answer(b, 'sim-terse', m)).answer),
    );
    expect(differ.some(Boolean)).toBe(true);
  });
});

describe('demo fleet: personas', () => {
  const singles = banks.questions.filter((q) => !q.turns && q.matterId !== 'out-of-scope');

  it('exemplary answers every phrasing with every key point of the reference', async () => {
    const url = await startFleet();
    for (const q of singles) {
      for (const m of [q.text, ...q.variants.map((v) => v.text)]) {
        const data = await answer(url, 'sim-exemplary', m);
        expect(data.trace).toMatchObject({ kind: 'answer', questionId: q.id, droppedKeyPoints: [] });
        for (const kp of q.reference.keyPoints) expect(keyPointFound(data.answer, kp), `${q.id} ${kp.id}`).toBe(true);
      }
    }
  });

  it('outdated states a fact with another number, in the form the reference wrote it', async () => {
    const url = await startFleet();
    const q = question('rp-time-limit-01');
    const data = await answer(url, 'sim-outdated', q.text);
    const change = data.trace.changedFact as { factId: string; from: number; to: number; appended: boolean };
    expect(change).toMatchObject({ factId: 'days', from: 15, appended: false });
    expect(change.to).not.toBe(15);
    expect(data.answer).not.toContain('十五日');
    expect(data.answer).toMatch(/^公安机关自受理之日起[一二三四五六七八九十百]+日内核发居住证/);

    const drl = await answer(url, 'sim-outdated', question('drl-time-limit-01').text);
    const changed = drl.trace.changedFact as { from: number; to: number };
    expect(drl.answer).toContain(String(changed.to));
    expect(drl.answer).not.toBe(question('drl-time-limit-01').reference.answer);
  });

  it('terse drops the sentences or items that carry the dropped key points, and says which', async () => {
    const url = await startFleet(5);
    let dropped = 0;
    for (const q of singles) {
      const data = await answer(url, 'sim-terse', q.text);
      const ids = data.trace.droppedKeyPoints as string[];
      for (const kp of q.reference.keyPoints) expect(keyPointFound(data.answer, kp), `${q.id} ${kp.id}`).toBe(!ids.includes(kp.id));
      dropped += ids.length;
    }
    expect(dropped).toBeGreaterThan(0);
  });

  it('keyword-bot falls back on every variant phrasing but answers the canonical text', async () => {
    const url = await startFleet();
    const q = question('drl-materials-01');
    expect((await answer(url, 'sim-keyword', q.text)).trace.kind).toBe('answer');
    for (const v of q.variants) {
      const data = await answer(url, 'sim-keyword', v.text);
      expect(data.trace.kind).toBe('fallback');
      expect(data.answer).toMatch(/没有理解|不会回答|未能识别/);
    }
  });

  it('confused answers another matter, and sideways another aspect of the same matter', async () => {
    const url = await startFleet();
    const q = question('rp-materials-01');
    const wrong = await answer(url, 'sim-confused', q.text);
    expect(wrong.trace.kind).toBe('wrong-matter');
    const other = question(wrong.trace.answeredQuestionId as string);
    expect(other.matterId).not.toBe(q.matterId);
    expect(other.aspectId).toBe('materials');
    expect(wrong.answer).toBe(other.reference.answer);

    const side = await answer(url, 'sim-sideways', q.text);
    const aspect = question(side.trace.answeredQuestionId as string);
    expect(side.trace.kind).toBe('wrong-aspect');
    expect(aspect.matterId).toBe(q.matterId);
    expect(aspect.aspectId).not.toBe(q.aspectId);
  });

  it('deflector replies with the hotline only', async () => {
    const url = await startFleet();
    const data = await answer(url, 'sim-deflector', question('rp-materials-01').text);
    expect(data.trace.kind).toBe('hotline');
    expect(data.answer).toContain('12345');
    expect(data.answer).not.toContain('身份证');
  });

  it('redirects out-of-scope questions politely, or invents an answer', async () => {
    const url = await startFleet();
    const q = question('oos-loan-01');
    const polite = await answer(url, 'sim-exemplary', q.text);
    expect(polite).toMatchObject({ answer: q.reference.answer, trace: { kind: 'redirect' } });
    const invented = await answer(url, 'sim-inventor', q.text);
    expect(invented.trace.kind).toBe('invented');
    expect(invented.answer).toMatch(/可以/);
    expect(invented.answer).not.toMatch(/无法|银行/);
  });

  it('dresses answers in padded and HTML styles without losing key points', async () => {
    const url = await startFleet();
    const q = question('drl-materials-01');
    const padded = await answer(url, 'sim-padded', q.text);
    expect(padded.answer).toMatch(/^(您好|尊敬的用户)/);
    expect(padded.answer).toContain('感谢您的咨询');
    const html = await answer(url, 'sim-html', q.text);
    expect(html.answer).toMatch(/^<p>/);
    expect(html.answer).toContain('<ol><li>');
    for (const kp of q.reference.keyPoints) {
      expect(keyPointFound(padded.answer, kp)).toBe(true);
      expect(keyPointFound(html.answer, kp)).toBe(true);
    }
  });
});

describe('demo fleet: sessions', () => {
  const script = question('rp-clarify-01');
  const [first, second] = script.turns!;

  it('asks which matter is meant, then answers the follow-up within the session', async () => {
    const url = await startFleet();
    const ask = await answer(url, 'sim-exemplary', first!.user, 'client-session-1');
    expect(ask.sessionId).toBe('client-session-1');
    expect(ask.trace).toMatchObject({ kind: 'clarify', turn: 0 });
    expect(ask.answer).toMatch(/请问.*哪/);
    expect(ask.answer).toContain('居住证');
    const reply = await answer(url, 'sim-exemplary', second!.user, ask.sessionId);
    expect(reply.sessionId).toBe('client-session-1');
    expect(reply.trace).toMatchObject({ kind: 'answer', turn: 1, questionId: script.id });
    for (const kp of script.reference.keyPoints) expect(keyPointFound(reply.answer, kp)).toBe(true);
  });

  it('issues a session id when none is sent, and does not understand a follow-up without one', async () => {
    const url = await startFleet();
    const ask = await answer(url, 'sim-exemplary', first!.user);
    expect(ask.sessionId).toMatch(/^sim-[0-9a-f]{8}$/);
    const lost = await answer(url, 'sim-exemplary', second!.user);
    expect(lost.trace.kind).toBe('lost-context');
    expect(lost.answer).toMatch(/不太明白/);
  });

  it('a persona that does not clarify guesses a matter at the ambiguous turn', async () => {
    const url = await startFleet();
    const guess = await answer(url, 'sim-inventor', first!.user, 's-2');
    expect(guess.trace.kind).toBe('guess');
    expect(guess.answer).toBe(question(guess.trace.answeredQuestionId as string).reference.answer);
  });
});

describe('demo fleet: faults', () => {
  it('flaky returns 500 with an HTML page and 429 with Retry-After at about its rates', async () => {
    const url = await startFleet();
    const q = question('rp-materials-01');
    const statuses: number[] = [];
    for (let i = 0; i < 400; i++) {
      const r = await chat(url, 'sim-flaky', { message: q.text });
      statuses.push(r.status);
      if (r.status === 500) {
        expect(r.headers.get('content-type')).toMatch(/text\/html/);
        expect(r.text).toMatch(/<html>.*500 Internal Server Error/);
      }
      if (r.status === 429) expect(r.headers.get('retry-after')).toBe('1');
      if (r.status === 200) expect(r.json?.data?.trace.kind).toBe('answer');
    }
    const share = (s: number) => statuses.filter((x) => x === s).length / statuses.length;
    expect(share(500)).toBeGreaterThan(0.22);
    expect(share(500)).toBeLessThan(0.38);
    expect(share(429)).toBeGreaterThan(0.13);
    expect(share(429)).toBeLessThan(0.27);
    expect(share(200)).toBeCloseTo(1 - share(500) - share(429), 10);
  });

  it('a fault does not advance the session, so a retried turn is still that turn', async () => {
    const url = await startFleet();
    const [first, second] = question('rp-clarify-01').turns!;
    let ok: ChatReply | undefined;
    const sid = 'flaky-session';
    for (let i = 0; i < 20 && !ok; i++) {
      const r = await chat(url, 'sim-flaky', { message: first!.user, sessionId: sid });
      if (r.status === 200) ok = r;
    }
    expect(ok).toBeDefined();
    for (let i = 0; i < 20; i++) {
      const r = await chat(url, 'sim-flaky', { message: second!.user, sessionId: sid });
      if (r.status !== 200) continue;
      expect(r.json?.data?.trace).toMatchObject({ turn: 1, kind: 'answer' });
      return;
    }
    throw new Error('flaky never answered turn 1 in 20 attempts');
  });

  it('stalls past the target timeout, so a client with that timeout gives up; close() cuts the stall', async () => {
    const url = await startFleet();
    const started = Date.now();
    await expect(
      chat(url, 'sim-stalling', { message: question('rp-materials-01').text }, { signal: AbortSignal.timeout(400) }),
    ).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    const pending = chat(url, 'sim-stalling', { message: '任何问题' }).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all(fleets.map((f) => f.close()));
    fleets = [];
    // A stall left running would end in a 504 reply; cut, the request fails.
    expect(await pending).toBeInstanceOf(Error);
  });
});
