import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors, type Locator, type Page } from 'playwright-core';
import type { ErrorKind } from '../../domain/types.js';
import { firstLine } from './adapter-error.js';

/** The turn's signal fired while the page was still busy. */
export class Aborted extends Error {
  override name = 'Aborted';
}

/**
 * Playwright calls take no AbortSignal: this stops waiting for one when the signal fires. The call
 * itself runs on until its own timeout or until its page is closed; its failure is then expected.
 */
export function abortable<T>(op: Promise<T>, signal: AbortSignal): Promise<T> {
  op.catch(() => undefined);
  if (signal.aborted) return Promise.reject(new Aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    op.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Waits, unless the signal fires first. */
export async function delay(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw new Aborted();
  }
}

/**
 * Where a conversation was when it failed: it decides whether a timeout is the bot's or the page's.
 * `launch`: getting a page from the browser, before the target's site is asked for anything.
 */
export type WidgetPhase = 'launch' | 'navigate' | 'prepare' | 'settle' | 'reply';

/** Chromium's names for a server that is not there, as opposed to a page that misbehaves. */
const CONNECT_FAILURE = /net::ERR_(?:CONNECTION_(?:REFUSED|RESET|CLOSED|FAILED|TIMED_OUT)|NAME_NOT_RESOLVED|ADDRESS_UNREACHABLE|INTERNET_DISCONNECTED|TIMED_OUT)/;

/**
 * The category of a failure in a widget conversation. A page that never loads is `page-load` and a
 * server that is not there a connection failure (either may come back); an element that never turns
 * up is a broken page or selector (retrying will not help) unless a wall stands in front of it (see
 * `findWall`); a bot that stays silent is a timeout.
 */
export function classifyFailure(err: unknown, phase: WidgetPhase, doing: string): { kind: ErrorKind; message: string } {
  if (err instanceof Aborted) {
    if (phase === 'launch') return { kind: 'timeout', message: `${doing}: not done before the turn timed out` };
    if (phase === 'navigate') return { kind: 'page-load', message: `${doing}: not done before the turn timed out` };
    if (phase === 'prepare') return { kind: 'browser', message: `${doing}: the element was not ready before the turn timed out` };
    if (phase === 'settle') return { kind: 'timeout', message: `${doing}: the page was still busy when the turn timed out` };
    return { kind: 'timeout', message: `${doing}: no finished reply before the turn timed out` };
  }
  const line = firstLine(err);
  if (err instanceof errors.TimeoutError) return { kind: phase === 'navigate' ? 'page-load' : 'browser', message: `${doing}: ${line}` };
  if (phase === 'navigate' && CONNECT_FAILURE.test(line)) return { kind: 'connect', message: `${doing}: ${line}` };
  if (line.includes('net::ERR_BLOCKED_BY_CLIENT')) {
    return { kind: 'browser', message: `${doing}: ${line} (the page led to another site; only the target's own site and loopback are allowed)` };
  }
  return { kind: 'browser', message: `${doing}: ${line}` };
}

/** A screenshot of a hung page can itself hang. */
const SCREENSHOT_TIMEOUT_MS = 5_000;

/**
 * Saves what the page showed at a failure, under a random name so that nothing from the
 * configuration (a token in a URL, say) ends up in the path. `mask` covers fields that hold secrets.
 * Returns undefined when the page can no longer be photographed (it crashed or was closed).
 */
export async function saveScreenshot(page: Page, dir: string, mask: Locator[]): Promise<string | undefined> {
  const path = join(dir, `${randomUUID()}.png`);
  try {
    await mkdir(dir, { recursive: true });
    await page.screenshot({ path, mask, timeout: SCREENSHOT_TIMEOUT_MS, animations: 'disabled' });
    return path;
  } catch {
    return undefined;
  }
}
