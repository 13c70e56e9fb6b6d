import { it } from 'vitest';
import { createBrowserHost } from '../src/adapters/utils/browser.js';
import { detectChat } from '../src/detect/detect.js';
import { servePortals, answerFor } from './fixtures/portals/server.js';

it('scratch', async () => {
  const site = await servePortals();
  const host = createBrowserHost();
  const pages = (process.env.PAGES ?? '').split(',');
  for (const p of pages) {
    const t = performance.now();
    const q = '请问办理这项业务需要带什么材料？';
    const r = await detectChat({ url: site.url + p, question: q, browser: host, screenshotDir: '/tmp/dev/shots' });
    console.log(p, Math.round(performance.now() - t), 'ms', r.ok, r.blocked, JSON.stringify(r.adapter), '\nREPLY', r.probe.reply === answerFor(q) ? 'EXACT' : r.probe.reply, '\n', r.notes.join('\n '));
  }
  await host.close();
  await site.close();
}, 600_000);
