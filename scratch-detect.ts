import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, extname } from 'node:path';
import { createBrowserHost } from './src/adapters/utils/browser.js';
import { detectChat } from './src/detect/detect.js';

const root = process.argv[2]!;
const deep = dirname(createRequire(import.meta.url).resolve('deep-chat'));
const extra = process.argv[3] ? (await import(process.argv[3])) : undefined;
const server = extra?.start ? null : createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const file = path.startsWith('/vendor/deep-chat/') ? join(deep, path.slice(18)) : join(root, path);
  try { const b = await readFile(file); res.writeHead(200, { 'content-type': extname(file) === '.js' ? 'text/javascript' : 'text/html; charset=utf-8' }).end(b); } catch { res.writeHead(404).end(); }
});
let base: string;
if (server) { await new Promise<void>((r) => server.listen(0, '127.0.0.1', r)); base = `http://127.0.0.1:${(server.address() as any).port}`; }
else base = await extra.start();
const host = createBrowserHost();
for (const p of process.argv.slice(4)) {
  const t = performance.now();
  const r = await detectChat({ url: base + p, question: '请问办理这项业务需要带什么材料？', browser: host, screenshotDir: '/tmp/dev/shots' });
  console.log(p, Math.round(performance.now() - t), 'ms', JSON.stringify({ ok: r.ok, blocked: r.blocked, adapter: r.adapter, probe: r.probe }, null, 1), r.notes);
}
await host.close();
server?.close();
process.exit(0);
