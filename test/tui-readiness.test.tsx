/**
 * The launch screen's readiness (issue 14, item 2): `c` asks each chosen target one question, as
 * `govbench check` does, and shows each status as it arrives. Targets are http-json bots on loopback.
 */
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { Launch } from '../src/tui/launch/launch.js';
import { loopbackServer, sendJson, tempDir, type LoopbackServer } from './helpers.js';
import { BANK_DIR, banks, KEY, press, waitForFrame } from './tui-helpers.js';

function entry(id: string, name: string, url: string): string {
  return `  - id: ${id}
    name: ${name}
    region: east
    adapter: { type: http-json, url: "${url}", body: { message: "{{message}}" }, reply: $.answer }
    limits: { timeoutMs: 5000, retries: 2 }
`;
}

let server: LoopbackServer;
const asked: string[] = [];
let releaseSlow: () => void = () => undefined;
const slow = new Promise<void>((resolve) => (releaseSlow = resolve));

beforeAll(async () => {
  server = await loopbackServer(async (req, res, body) => {
    const { message } = JSON.parse(body) as { message: string };
    asked.push(`${req.url} ${message}`);
    if (req.url === '/ready') return sendJson(res, 200, { answer: '您好，请携带身份证件办理' });
    if (req.url === '/handoff') return sendJson(res, 200, { answer: '正在为您转接人工客服，请稍候' });
    if (req.url === '/login') return sendJson(res, 401, { error: 'login' });
    if (req.url === '/down') return sendJson(res, 503, { error: 'busy' });
    if (req.url === '/empty') return sendJson(res, 200, { answer: '' });
    await slow;
    return sendJson(res, 200, { answer: '慢慢答' });
  });
});
afterAll(async () => {
  releaseSlow();
  await server.close();
});

describe('launch screen readiness', () => {
  it('checks the chosen targets on c, shows each status with its first-reply time as it comes, then the summary', async () => {
    using dir = tempDir({
      'targets.yaml': `targets:\n${[
        entry('city-ready', '甲市', `${server.url}/ready`),
        entry('city-handoff', '乙市', `${server.url}/handoff`),
        entry('city-login', '丙市', `${server.url}/login`),
        entry('city-down', '丁市', `${server.url}/down`),
        entry('city-empty', '戊市', `${server.url}/empty`),
        entry('city-slow', '己市', `${server.url}/slow`),
        entry('city-none', '庚市', ''),
      ].join('')}`,
    });
    const store = openStore(dir.path('g.db'));
    const ui = render(
      <Launch
        store={store}
        width={110}
        height={30}
        isActive
        activeRunId={null}
        runActive={false}
        initial={{ targetsFile: dir.path('targets.yaml'), bankPath: BANK_DIR }}
        onStart={() => undefined}
        onEditing={() => undefined}
      />,
    );
    try {
      const before = await waitForFrame(ui.lastFrame, '6 chosen');
      expect(before).toContain('Readiness: press c');
      await press(ui.stdin, 'c');
      // Five answer at once; the slow one is still being asked.
      let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('1 to go') && f.includes('no-reply'));
      expect(frame).toContain('Readiness: 1 ready of 6 · checking, 1 to go');
      expect(frame).toMatch(/ready +甲市 +city-ready +\d+\.\d s “您好，请携带身份证件办理”/);
      expect(frame).toMatch(/blocked +乙市 +city-handoff +\d+\.\d s hand-off to a human agent/);
      expect(frame).toMatch(/blocked +丙市 +city-login +— a login \(401 Unauthorized\)/);
      expect(frame).toMatch(/unreachable +丁市 +city-down +—/);
      expect(frame).toMatch(/no-reply +戊市 +city-empty/);
      expect(frame).toMatch(/checking… +己市 +city-slow/);
      expect(frame).not.toContain('city-none');
      // Pressed again while it runs, nothing is asked twice.
      await press(ui.stdin, 'c');
      releaseSlow();
      frame = await waitForFrame(ui.lastFrame, 'Readiness: 2 ready of 6\n');
      expect(frame).toMatch(/ready +己市 +city-slow +\d+\.\d s “慢慢答”/);
      // The question a run asks first: the first question of the chosen banks, once per target (503 is not retried by a check).
      const first = banks.questions[0]!.text;
      expect(asked.filter((a) => a.startsWith('/ready ')).map((a) => a.slice('/ready '.length))).toEqual([first]);
      expect(asked).toHaveLength(6);
    } finally {
      ui.unmount();
      store.close();
    }
  }, 20_000);
});
