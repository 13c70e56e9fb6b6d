/**
 * Which Chromium govbench drives (issue 11): the run config's, GOVBENCH_CHROMIUM, an installed one,
 * else the one inside the npm package; Chinese legible in screenshots on a machine without a CJK
 * font; a run with no browser stopping before it asks anything.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../src/adapters/utils/adapter-error.js';
import { createBrowserHost } from '../src/adapters/utils/browser.js';
import { CHROMIUM_ENV, launchChromium, locateChromium, systemChromiumPaths, type ChromiumOptions } from '../src/adapters/utils/chromium.js';
import { createWebWidgetAdapter } from '../src/adapters/web-widget.js';
import { UserError } from '../src/util/errors.js';
import { DEEP_CHAT, useWidgetHarness } from './fixtures/widget/harness.js';
import { loopbackServer, runCli, tempDir, TINY_BANK } from './helpers.js';

/** No installed browser and no GOVBENCH_CHROMIUM: the npm Chromium, whatever this machine has. */
const NPM_ONLY: ChromiumOptions = { env: {}, systemPaths: [], platform: 'linux', arch: 'x64' };

describe('choosing the browser', () => {
  const dir = tempDir();
  afterAll(() => dir[Symbol.dispose]());
  const fakeBrowser = (name: string, mode = 0o755): string => {
    writeFileSync(dir.path(name), '#!/bin/sh\n');
    chmodSync(dir.path(name), mode);
    return dir.path(name);
  };
  const configured = fakeBrowser('configured');
  const fromEnv = fakeBrowser('from-env');
  const installed = fakeBrowser('installed');
  const notExecutable = fakeBrowser('not-executable', 0o644);

  it('takes the run config first, then GOVBENCH_CHROMIUM, then an installed browser, then the npm one', () => {
    const env = { [CHROMIUM_ENV]: fromEnv };
    const systemPaths = [dir.path('absent'), notExecutable, installed];
    expect(locateChromium({ ...NPM_ONLY, executablePath: configured, env, systemPaths })).toMatchObject({ source: 'config', executablePath: configured });
    expect(locateChromium({ ...NPM_ONLY, env, systemPaths })).toMatchObject({ source: 'env', executablePath: fromEnv });
    const system = locateChromium({ ...NPM_ONLY, systemPaths });
    expect(system).toMatchObject({ source: 'system', executablePath: installed });
    expect(system.label).toContain(CHROMIUM_ENV);
    const npm = locateChromium(NPM_ONLY);
    expect(npm).toMatchObject({ source: 'npm', package: { version: expect.stringMatching(/^153\./) } });
    expect(npm.label).toMatch(/@sparticuz\/chromium 153\.\d+\.\d+/);
  });

  it('never passes over a browser someone named that is not there', () => {
    const fails = (opts: ChromiumOptions) => () => locateChromium({ ...NPM_ONLY, systemPaths: [installed], ...opts });
    expect(fails({ executablePath: dir.path('absent') })).toThrow(/browser\.executablePath in the run config names .*absent, which is not an executable file/);
    expect(fails({ env: { [CHROMIUM_ENV]: notExecutable } })).toThrow(/GOVBENCH_CHROMIUM names .*not-executable, which is not an executable file/);
  });

  it('without any browser, says in one sentence what to install or set', () => {
    // The npm build is for Linux on x64 only: elsewhere, nothing is left to fall back on.
    let err: unknown;
    try {
      locateChromium({ ...NPM_ONLY, arch: 'arm64' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const { message } = err as UserError;
    expect(message).toMatch(/install one .*apt-get install chromium.* or set GOVBENCH_CHROMIUM or browser\.executablePath in the run config/);
    expect(message).toMatch(/^[^\n]*\.$/);
    expect(message.split(/\.\s/)).toHaveLength(1);
  });

  it('looks where Chrome, Chromium and Edge install themselves on each system', () => {
    expect(systemChromiumPaths('linux', {})[0]).toBe('/usr/bin/chromium');
    expect(systemChromiumPaths('linux', {})).toContain('/usr/bin/google-chrome');
    expect(systemChromiumPaths('darwin', { HOME: '/Users/ann' })).toEqual(
      expect.arrayContaining(['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Users/ann/Applications/Chromium.app/Contents/MacOS/Chromium']),
    );
    expect(systemChromiumPaths('win32', { ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)' })).toEqual(
      expect.arrayContaining(['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe']),
    );
  });

  it('fails a widget conversation with the same sentence when no browser can be had', async () => {
    const adapter = createWebWidgetAdapter({
      config: { type: 'web-widget', url: 'http://127.0.0.1:9/', steps: [], selectors: DEEP_CHAT, quietMs: 300 },
      chromium: { env: { [CHROMIUM_ENV]: dir.path('absent') } },
    });
    const conversation = adapter.open();
    const err = await conversation.send('你好', AbortSignal.timeout(10_000)).catch((e: unknown) => e);
    await adapter.close();
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).kind).toBe('browser');
    expect((err as AdapterError).message).toMatch(/GOVBENCH_CHROMIUM names .*absent, which is not an executable file/);
  });
});

/**
 * Two pages alike but for their text, photographed at a failure: a font without the characters
 * draws every one as the same box, so the two screenshots come out identical. Characters no font
 * has (unassigned code points) show that this is so; Chinese must then come out different.
 */
const browsers = [...new Map([locateChromium(), locateChromium(NPM_ONLY)].map((c) => [c.label, c])).values()];

describe.each(browsers)('Chinese in failure screenshots from $label', (choice) => {
  const options = choice.source === 'npm' ? NPM_ONLY : { env: { [CHROMIUM_ENV]: choice.executablePath } };

  it('draws Chinese characters, not boxes', async () => {
    using shots = tempDir();
    const site = await loopbackServer((req, res) => {
      const text = new URL(req.url ?? '/', 'http://x').searchParams.get('text') ?? '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><body style="font-size:48px"><p>${text}</p></body>`);
    });
    const host = createBrowserHost(options);
    const screenshotOf = async (text: string): Promise<Buffer> => {
      // The input's selector cannot be parsed: the turn fails as soon as the page is up, and the adapter
      // photographs it. (A selector that never matches would fail only when the turn's time ran out,
      // which on a loaded machine can come before the first page opens.)
      const adapter = createWebWidgetAdapter({
        config: { type: 'web-widget', url: `${site.url}/?text=${encodeURIComponent(text)}`, steps: [], selectors: { input: 'xpath=//*[', botMessage: '.none' }, quietMs: 100, screenshotDir: shots.dir },
        browser: host,
      });
      const err = (await adapter.open().send('你好', AbortSignal.timeout(60_000)).catch((e: unknown) => e)) as AdapterError;
      await adapter.close();
      expect(err).toBeInstanceOf(AdapterError);
      expect(err.details.screenshot).toBeDefined();
      return readFileSync(err.details.screenshot!);
    };
    try {
      const [missing1, missing2, chinese1, chinese2] = await Promise.all(['\u0378\u0379\u0380', '\u0381\u0382\u0383', '办理时限', '申请材料'].map(screenshotOf));
      expect(missing1!.equals(missing2!)).toBe(true);
      expect(chinese1!.equals(chinese2!)).toBe(false);
    } finally {
      await host.close();
      await site.close();
    }
  });
});

describe.each(browsers)('Chinese in the report check from $label', (choice) => {
  const options = choice.source === 'npm' ? NPM_ONLY : { env: { [CHROMIUM_ENV]: choice.executablePath } };

  it('draws Chinese characters, not boxes, in pages launchChromium opens', async () => {
    const browser = await launchChromium(options);
    try {
      const page = await browser.newPage();
      const shot = async (text: string) => {
        await page.setContent(`<p style="font-size:48px;display:inline-block">${text}</p>`);
        return page.locator('p').screenshot();
      };
      expect((await shot('\u0378\u0379')).equals(await shot('\u0380\u0381'))).toBe(true);
      expect((await shot('模拟')).equals(await shot('甲市'))).toBe(false);
    } finally {
      await browser.close();
    }
  });
});

describe('a web-widget run through the CLI', () => {
  const { site } = useWidgetHarness();
  const bank = TINY_BANK.replace('text: 要交钱吗？\n', 'text: 要交钱吗？\n    variants:\n      - { style: colloquial, text: 收钱不 }\n      - { style: typo, text: 要交前吗 }\n');
  const targets = (url: string, shots: string) => `targets:
  - id: widget-city
    name: 挂件市
    region: east
    adapter:
      type: web-widget
      url: ${url}/chat.html
      selectors: { input: "${DEEP_CHAT.input}", send: "${DEEP_CHAT.send}", botMessage: "${DEEP_CHAT.botMessage}" }
      quietMs: 300
      screenshotDir: ${shots}
`;

  it('says which browser it took and gets every answer', async () => {
    using dir = tempDir({ 'bank.yaml': bank });
    writeFileSync(dir.path('targets.yaml'), targets(site().url, dir.path('shots')));
    const r = await runCli(['run', '--bank', dir.path('bank.yaml'), '--targets', dir.path('targets.yaml'), '--db', dir.path('g.db'), '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`browser: ${locateChromium().label}`);
    const report = JSON.parse(r.stdout) as { targets: { id: string; cases: number; scores: { availability: number } }[] };
    expect(report.targets[0]).toMatchObject({ id: 'widget-city', cases: 3, scores: { availability: 100 } });
  });

  it('stops before asking anything, with exit 2 and what to set, when the browser named is not there', async () => {
    using dir = tempDir({ 'bank.yaml': bank });
    writeFileSync(dir.path('targets.yaml'), targets(site().url, dir.path('shots')));
    const r = await runCli(['run', '--bank', dir.path('bank.yaml'), '--targets', dir.path('targets.yaml'), '--db', dir.path('g.db')], { [CHROMIUM_ENV]: dir.path('absent') });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`govbench: ${CHROMIUM_ENV} names ${dir.path('absent')}, which is not an executable file: point it at a Chrome or Chromium binary, or remove it to let govbench find one.`);
    expect(existsSync(dir.path('g.db'))).toBe(false);
  });
});
