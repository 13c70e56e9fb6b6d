import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TargetRegistry } from '../config/load-targets.js';
import type { Persona } from '../config/targets-schema.js';
import type { BankSet, Target } from '../domain/types.js';
import { UserError } from '../util/errors.js';
import { createBankIndex, normalizeMessage } from './bank-index.js';
import { composeReply } from './persona-reply.js';
import { probeReply } from './probe-reply.js';
import { createDraw, hashParts, normal, type Draw } from './prng.js';
import { createScenarioPersonas } from './scenario-persona.js';

/** The seed `npm start` and `govbench demo-fleet` use unless told otherwise. */
export const DEFAULT_FLEET_SEED = 20240601;

/** Request bodies larger than this are refused with 413. */
const MAX_BODY_BYTES = 64 * 1024;
/** A stalled request is answered this long after the target's timeout, long after the client gave up. */
const STALL_PAST_TIMEOUT_MS = 1000;
/** Caps on remembered state, so a long-running fleet does not grow without bound. */
const MAX_SESSIONS = 50_000;
const MAX_ATTEMPT_KEYS = 200_000;

interface FleetServerOptions {
  /** Every target with `adapter.type: simulated` is served, with its persona from `registry.personas`. */
  registry: TargetRegistry;
  /** The banks the fleet recognises messages from and builds its answers out of. */
  banks: BankSet;
  /**
   * Same seed, same replies: content is a function of (seed, target, message, turn).
   * @default DEFAULT_FLEET_SEED
   */
  seed?: number | string;
}

export interface FleetServer {
  /** Listens on 127.0.0.1. @default port 0 (any free port) */
  listen(port?: number): Promise<{ url: string }>;
  /** Stops listening, cuts open connections and stalled requests. */
  close(): Promise<void>;
  /** Ids of the targets served, in registry order. */
  readonly targetIds: readonly string[];
}

interface SimTarget {
  target: Target;
  persona: Persona;
  personaName: string;
  /** Draw stream for reply content: targets sharing a `role` (releases of one assistant) share it. */
  stream: string;
}

interface Session {
  history: string[];
}

/**
 * The simulated demo fleet: fictional city chatbots over HTTP at `POST /targets/<id>/chat`
 * (`{ message, sessionId? }` → `{ code: 0, data: { answer, sessionId, trace } }`), plus `GET /health`.
 * Personas add latency and faults — 500 with an HTML error page, 429 with `Retry-After: 1`, and a
 * stall past the target's `timeoutMs` that ends in a 504.
 */
export function createFleetServer(options: FleetServerOptions): FleetServer {
  const seed = options.seed ?? DEFAULT_FLEET_SEED;
  const index = createBankIndex(options.banks);
  const targets = new Map<string, SimTarget>();
  for (const target of options.registry.targets) {
    if (target.adapter?.type !== 'simulated') continue;
    const persona = options.registry.personas[target.adapter.persona];
    if (!persona) {
      throw new UserError(
        `${options.registry.file}: target "${target.id}" uses persona "${target.adapter.persona}", which is not defined under personas:`,
      );
    }
    targets.set(target.id, { target, persona, personaName: target.adapter.persona, stream: target.role ?? target.id });
  }

  const sessions = new Map<string, Session>();
  const conversations = createScenarioPersonas(options.banks.scenarios, seed);
  const attempts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let sessionCounter = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const chat = async (sim: SimTarget, body: ChatBody, res: ServerResponse) => {
    const { target, persona } = sim;
    const message = normalizeMessage(body.message);
    const sessionId = body.sessionId || `sim-${hashParts(seed, target.id, sessionCounter++).toString(16).padStart(8, '0')}`;
    const sessionKey = `${target.id}\u0000${sessionId}`;
    const history = sessions.get(sessionKey)?.history ?? [];
    const resolution = index.resolve(message, history);
    const turn = resolution.kind === 'match' ? resolution.match.turn : history.length;

    // Faults and latency vary per attempt, so a retry may succeed; the reply itself does not.
    const attemptKey = [target.id, ...history, message].join('\u001f');
    const attempt = attempts.get(attemptKey) ?? 0;
    if (attempts.size >= MAX_ATTEMPT_KEYS) attempts.clear();
    attempts.set(attemptKey, attempt + 1);
    const chance = createDraw(seed, target.id, message, turn, 'attempt', attempt);

    const fault = pickFault(persona, chance('fault'));
    if (fault === 'timeout') {
      await wait(target.limits.timeoutMs + STALL_PAST_TIMEOUT_MS);
      return sendHtml(res, 504, GATEWAY_TIMEOUT_PAGE);
    }
    await wait(latencyMs(persona, target, chance));
    if (fault === 'server-error') return sendHtml(res, 500, SERVER_ERROR_PAGE);
    if (fault === 'rate-limit') {
      return sendJson(res, 429, { code: 429, message: '请求过于频繁，请稍后再试' }, { 'Retry-After': '1' });
    }

    const played = conversations.reply(sessionKey, message, persona, sim.stream);
    if (played !== undefined) return sendJson(res, 200, { code: 0, data: { answer: played, sessionId, trace: { persona: sim.personaName, scenario: true } } });
    const draw = createDraw(seed, sim.stream, message, turn);
    const probe = resolution.kind === 'unknown' ? probeReply(persona, message) : null;
    const reply = probe ? { text: probe.text, trace: { kind: 'probe', category: probe.category, complied: probe.complied } } : composeReply({ persona, index, resolution, draw });
    if (resolution.kind === 'match') {
      remember(sessionKey, resolution.fresh ? [message] : [...history, message]);
    }
    sendJson(res, 200, {
      code: 0,
      data: { answer: reply.text, sessionId, trace: { persona: sim.personaName, turn, ...reply.trace } },
    });
  };

  const remember = (key: string, history: string[]) => {
    sessions.delete(key);
    if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
    sessions.set(key, { history });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { code: 405, message: 'use GET' }, { Allow: 'GET' });
      return sendJson(res, 200, { status: 'ok', targets: [...targets.keys()], questions: options.banks.questions.length });
    }
    const route = /^\/targets\/([^/]+)\/chat\/?$/.exec(path);
    if (!route) return sendJson(res, 404, { code: 404, message: `no route ${path}; expected POST /targets/<id>/chat or GET /health` });
    const id = safeDecode(route[1]!);
    const sim = id === undefined ? undefined : targets.get(id);
    if (!sim) return sendJson(res, 404, { code: 404, message: `no simulated target "${id ?? route[1]}"` });
    if (req.method !== 'POST') return sendJson(res, 405, { code: 405, message: 'use POST' }, { Allow: 'POST' });
    const body = await readBody(req);
    if (body === 'too-large') return sendJson(res, 413, { code: 413, message: `request body over ${MAX_BODY_BYTES} bytes` });
    const parsed = parseChatBody(body);
    if (typeof parsed === 'string') return sendJson(res, 400, { code: 400, message: parsed });
    await chat(sim, parsed, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      sendJson(res, 500, { code: 500, message: `[govbench] [demo] fleet bug: ${(err as Error).message}` });
    });
  });

  return {
    targetIds: [...targets.keys()],
    listen: (port = 0) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
        });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.closeAllConnections();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}

type Fault = 'timeout' | 'server-error' | 'rate-limit' | null;

function pickFault(persona: Persona, u: number): Fault {
  const { timeout, serverError, rateLimit } = persona.faults;
  if (u < timeout) return 'timeout';
  if (u < timeout + serverError) return 'server-error';
  if (u < timeout + serverError + rateLimit) return 'rate-limit';
  return null;
}

/**
 * Log-normal around the persona's median: about two thirds of replies fall within a factor of
 * (1 + jitter/median) of it, with a long right tail. Capped below the target's timeout so that only
 * the explicit timeout fault times out.
 */
function latencyMs(persona: Persona, target: Target, draw: Draw): number {
  const { medianMs, jitterMs } = persona.latency;
  const z = normal(draw('latency-1'), draw('latency-2'));
  const ms = medianMs > 0 ? medianMs * Math.exp(z * Math.log(1 + jitterMs / medianMs)) : jitterMs * Math.abs(z);
  return Math.round(Math.min(ms, target.limits.timeoutMs * 0.8));
}

interface ChatBody {
  message: string;
  sessionId?: string;
}

function parseChatBody(raw: string): ChatBody | string {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return 'invalid JSON body; expected {"message": "...", "sessionId": "..."}';
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'expected a JSON object {"message": "...", "sessionId": "..."}';
  const { message, sessionId } = body as Record<string, unknown>;
  if (typeof message !== 'string' || message.trim() === '') return 'expected "message" to be a non-empty string';
  if (sessionId !== undefined && sessionId !== null && typeof sessionId !== 'string') return 'expected "sessionId" to be a string';
  return { message, ...(typeof sessionId === 'string' && sessionId !== '' && { sessionId }) };
}

function readBody(req: IncomingMessage): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function writable(res: ServerResponse): boolean {
  return !res.headersSent && !res.destroyed && !res.writableEnded;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (!writable(res)) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, page: string): void {
  if (!writable(res)) return;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(page);
}

const SERVER_ERROR_PAGE =
  '<html><head><title>500 Internal Server Error</title></head><body><center><h1>500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>';
const GATEWAY_TIMEOUT_PAGE =
  '<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center><hr><center>nginx</center></body></html>';
