import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

// Plain JavaScript: worker threads load it without a TypeScript loader.
/**
 * A loopback chatbot for benchmarks, in its own thread so it does not share the runner's event loop:
 * answers each known message with its scripted reply after `latencyMs ± jitterMs`. With `widget`
 * (the page and the folder of deep-chat's bundle), a GET serves that chat page, whose widget asks
 * this same bot.
 */
const { replies, latencyMs, jitterMs, widget } = workerData;
const VENDOR = '/vendor/deep-chat/';

const serveWidget = async (path, res) => {
  const [file, type] = path.startsWith(VENDOR)
    ? [join(widget.vendorDir, path.slice(VENDOR.length).replace(/[^\w.-]/g, '')), 'text/javascript; charset=utf-8']
    : [widget.page, 'text/html; charset=utf-8'];
  const body = await readFile(file).catch(() => undefined);
  if (body) res.writeHead(200, { 'content-type': type }).end(body);
  else res.writeHead(404).end();
};

const server = createServer((req, res) => {
  if (req.method === 'GET' && widget) {
    void serveWidget(new URL(req.url ?? '/', 'http://bench').pathname, res);
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const { message } = JSON.parse(body);
    const answer = replies[message] ?? '抱歉，我没有理解您的问题。';
    const send = () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 0, data: { answer } }));
    };
    const delay = latencyMs + (Math.random() * 2 - 1) * jitterMs;
    if (delay > 0) setTimeout(send, delay);
    else send();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', (m) => {
  if (m === 'close') server.close(() => process.exit(0));
});
