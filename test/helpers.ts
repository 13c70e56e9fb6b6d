import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { AdapterError } from '../src/adapters/utils/adapter-error.js';
import type { Judge } from '../src/domain/types.js';

/** A one-question bank for a matter outside the shipped ones; tests derive broken variants from it. */
export const TINY_BANK = `matter:
  id: boat-permit
  name: 船只许可
aspects:
  - { id: fees, name: 收费 }
questions:
  - id: bp-fees-01
    aspect: fees
    text: 要交钱吗？
    reference:
      answer: 不收费。
      keyPoints:
        - { id: free, text: 不收费, match: [不收费, 免费] }
`;

/** A temporary folder with the given files; removed by `using`. */
export function tempDir(files: Record<string, string> = {}): { dir: string; path: (name: string) => string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), 'govbench-test-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, path: (name) => join(dir, name), [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface LoopbackServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 and a free port. */
export async function loopbackServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => unknown): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => void handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

/** The AdapterError a request fails with; the test fails if it does not fail, or fails otherwise. */
export async function adapterFailure(p: Promise<unknown>): Promise<AdapterError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AdapterError);
    return err as AdapterError;
  }
  throw new Error('expected the request to fail');
}

/** What a spawned `govbench` printed and how it exited. */
export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in its own process (exit codes and stderr are what a user sees); `env` adds to this process's. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliOutcome> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve('bin/govbench.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A judge that calls every answer correct, for tests about running rather than judging. */
export const echoJudge: Judge = {
  name: 'echo',
  version: '1',
  judge: ({ question, turn }) => ({
    status: 'judged',
    judge: 'echo',
    turn,
    intentRecognized: true,
    predictedIntent: question.intent,
    verdict: 'correct',
    accuracy: 1,
    keyPointsHit: [],
    factErrors: [],
    contradictions: [],
    rationale: 'echo',
  }),
};
