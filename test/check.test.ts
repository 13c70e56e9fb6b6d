import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../src/adapters/utils/adapter-error.js';
import { renderCheckTable } from '../src/reports/check-table.js';
import { statusOf } from '../src/runner/check-targets.js';
import { displayWidth } from '../src/reports/format.js';
import { loopbackServer, runCli, sendJson, tempDir, TINY_BANK, type LoopbackServer } from './helpers.js';

/** A registry entry for an http-json target at `url` ('' is "no endpoint yet"), retries that check must not use. */
function entry(id: string, name: string, url: string, timeoutMs = 5000): string {
  return `  - id: ${id}
    name: ${name}
    region: east
    adapter: { type: http-json, url: "${url}", body: { message: "{{message}}" }, reply: $.answer }
    limits: { timeoutMs: ${timeoutMs}, retries: 2 }
`;
}

interface CheckJsonOut {
  targets: { id: string; name: string; status: string; firstReplyMs: number | null; reply: string | null; detail: string | null; screenshot: string | null }[];
  ready: number;
  total: number;
}

describe('govbench check', () => {
  const servers: LoopbackServer[] = [];
  const asked: string[] = [];
  const hits = { down: 0 };
  let urls: Record<'ok' | 'down' | 'wall' | 'empty' | 'closed' | 'hung', string>;

  beforeAll(async () => {
    const serve = async (handler: Parameters<typeof loopbackServer>[0]) => {
      const s = await loopbackServer(handler);
      servers.push(s);
      return `${s.url}/chat`;
    };
    const ok = await serve((_req, res, body) => {
      asked.push((JSON.parse(body) as { message: string }).message);
      sendJson(res, 200, { answer: '\u001b[31m可以，请\n携带身份证到窗口办理。\u202e' + '详'.repeat(100) });
    });
    const down = await serve((_req, res) => {
      hits.down += 1;
      sendJson(res, 503, { error: 'maintenance' });
    });
    const wall = await serve((_req, res) => sendJson(res, 403, { error: 'forbidden' }));
    const empty = await serve((_req, res) => sendJson(res, 200, { answer: '' }));
    const hung = await serve(() => undefined);
    const gone = await loopbackServer(() => undefined);
    await gone.close();
    urls = { ok, down, wall, empty, hung, closed: `${gone.url}/chat` };
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('gives each target of the registry its status, asks each once, and exits 1 unless all are ready', async () => {
    using tmp = tempDir({
      'bank.yaml': TINY_BANK,
      'targets.yaml': `targets:
${entry('city-ok', '甲市', urls.ok)}${entry('city-down', '乙市', urls.down)}${entry('city-wall', '丙市', urls.wall)}${entry('city-empty', '丁市', urls.empty)}${entry('city-none', '戊市', '')}${entry('city-closed', '己市', urls.closed)}${entry('city-hung', '庚市', urls.hung, 300)}`,
    });
    asked.length = 0;
    hits.down = 0;
    const r = await runCli(['check', '--targets', tmp.path('targets.yaml'), '--bank', tmp.path('bank.yaml'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as CheckJsonOut;
    expect(Object.keys(out).sort()).toEqual(['ready', 'targets', 'total']);
    expect(out.ready).toBe(1);
    expect(out.total).toBe(7);
    expect(out.targets.map((t) => [t.id, t.status])).toEqual([
      ['city-ok', 'ready'],
      ['city-down', 'unreachable'],
      ['city-wall', 'blocked'],
      ['city-empty', 'no-reply'],
      ['city-none', 'no-endpoint'],
      ['city-closed', 'unreachable'],
      ['city-hung', 'unreachable'],
    ]);
    for (const t of out.targets) expect(Object.keys(t).sort()).toEqual(['detail', 'firstReplyMs', 'id', 'name', 'reply', 'screenshot', 'status']);
    // No browser, no screenshot.
    expect(out.targets.map((t) => t.screenshot)).toEqual(out.targets.map(() => null));

    const [ok, down, wall, empty, none, closed, hung] = out.targets;
    // The bank's first question is what is asked, and a 503 is not retried.
    expect(asked).toEqual(['要交钱吗？']);
    expect(hits.down).toBe(1);
    expect(ok!.name).toBe('甲市');
    expect(typeof ok!.firstReplyMs).toBe('number');
    expect(ok!.firstReplyMs).toBeGreaterThanOrEqual(0);
    // Sanitized to one line without escapes or bidi controls, then cut to 60 characters.
    expect(ok!.reply).toBe(`可以，请 携带身份证到窗口办理。${'详'.repeat(44)}`);
    expect([...ok!.reply!]).toHaveLength(60);
    expect(ok!.detail).toBeNull();
    expect(down!.detail).toMatch(/HTTP 503/);
    expect(wall!.detail).toMatch(/^a wall \(403 Forbidden\): HTTP 403/);
    expect(empty!.detail).toMatch(/empty reply/);
    expect(empty!.firstReplyMs).toBeNull();
    expect(none!.detail).toMatch(/no endpoint configured/);
    expect(closed!.detail).toMatch(/connection failed/);
    expect(hung!.detail).toMatch(/timed out/);
    for (const t of [down, wall, empty, none, closed, hung]) expect([t!.firstReplyMs, t!.reply]).toEqual([null, null]);
  }, 30_000);

  it('exits 0 when every selected target is ready, printing a table and the summary', async () => {
    using tmp = tempDir({ 'targets.yaml': `targets:\n${entry('city-ok', '甲市', urls.ok)}${entry('city-down', '乙市', urls.down)}` });
    asked.length = 0;
    const r = await runCli(['check', '--targets', tmp.path('targets.yaml'), '--target', 'city-ok', '--question', '您好']);
    expect(r.code).toBe(0);
    expect(asked).toEqual(['您好']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+status\s+first reply\s+reply \/ detail$/);
    expect(lines[1]).toMatch(/^city-ok\s+甲市\s+ready\s+\d+\.\d s\s+“可以，请 携带身份证/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('1 ready of 1');
    expect(r.stdout).not.toContain('\u001b');
  }, 30_000);

  it('an unknown --target is bad input (exit 2) naming the registry file', async () => {
    using tmp = tempDir({ 'targets.yaml': `targets:\n${entry('city-ok', '甲市', urls.ok)}` });
    const r = await runCli(['check', '--targets', tmp.path('targets.yaml'), '--target', 'city-nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${tmp.path('targets.yaml')}: no target with id "city-nope"`);
  }, 30_000);
});

describe('check statuses and table', () => {
  const reply = (text: string) => ({ text, raw: text, firstMs: 12, totalMs: 20 });
  const http = (status: number) => new AdapterError('http-status', `HTTP ${status} from x`, { httpStatus: status });

  it('maps each adapter outcome to one status', () => {
    expect(statusOf(reply('好的'))).toEqual({ status: 'ready', firstReplyMs: 12, reply: '好的', detail: null });
    expect(statusOf(reply(' \n')).status).toBe('no-reply');
    expect(statusOf(new AdapterError('timeout', 'timed out')).status).toBe('unreachable');
    expect(statusOf(new AdapterError('connect', 'refused')).status).toBe('unreachable');
    expect(statusOf(http(500)).status).toBe('unreachable');
    expect(statusOf(new AdapterError('blocked', 'a captcha')).detail).toBe('a captcha');
    expect(statusOf(http(401)).detail).toBe('a login (401 Unauthorized): HTTP 401 from x');
    expect(statusOf(http(407)).detail).toMatch(/^a proxy login/);
    expect(statusOf(http(429))).toEqual({ status: 'blocked', firstReplyMs: null, reply: null, detail: 'a rate limit (429 Too Many Requests): HTTP 429 from x' });
    expect(statusOf(http(404)).status).toBe('no-reply');
    expect(statusOf(new AdapterError('parse', 'reply is not JSON')).status).toBe('no-reply');
    expect(statusOf(new AdapterError('browser', 'no Chromium')).status).toBe('no-reply');
  });

  it('aligns the columns whatever the width of the names', () => {
    const table = renderCheckTable([
      { id: 'a', name: '模拟·东川省政务', status: 'ready', firstReplyMs: 1500, reply: '好', detail: null },
      { id: 'long-id', name: 'B', status: 'no-endpoint', firstReplyMs: null, reply: null, detail: 'none' },
    ]);
    const rows = table.split('\n').slice(0, 3);
    const statusAt = rows.map((row) => displayWidth(row.slice(0, row.search(/status|ready|no-endpoint/))));
    expect(new Set(statusAt).size).toBe(1);
    expect(rows[1]).toContain('1.5 s');
    expect(table.endsWith('\n1 ready of 2\n')).toBe(true);
  });
});
