import { rm } from 'node:fs/promises';
import type { BrowserContext, FrameLocator, Locator, Page, Response } from 'playwright-core';
import type { Adapter, AdapterReply, Conversation, ErrorKind, WebWidgetAdapterConfig, WidgetStep } from '../domain/types.js';
import { expandEnv, redact } from '../config/env.js';
import { UserError } from '../util/errors.js';
import { AdapterError, isOwnBug, RAW_LIMIT } from './utils/adapter-error.js';
import { createBrowserHost, type BrowserHost } from './utils/browser.js';
import type { ChromiumOptions } from './utils/chromium.js';
import { abortable, classifyFailure, delay, saveScreenshot, type WidgetPhase } from './utils/browser-failure.js';
import { findWall } from './utils/blocked-page.js';
import { awaitReply, settleMessages, type ReplyProgress } from './utils/browser-reply.js';
import { replyEvidence, type EvidenceOptions } from './utils/evidence.js';
import { cleanStructure, pageStructure } from './utils/reply-structure.js';
import { readMarkup, suggestionItem } from './utils/reply-structure-dom.js';
import { probeUrl } from './utils/probe.js';
import { safeUrl } from './utils/safe-url.js';
import { createWarmPool, headStart, type HeadStart, type Warmable } from './utils/warm-pages.js';

const ADAPTER_NAME = 'web-widget';


/**
 * How long Playwright waits for an element before it calls the selector missing. The turn's own
 * timeout usually ends the wait first; this bounds calls left running after it did.
 */
const ACTION_TIMEOUT_MS = 30_000;

/** A greeting still being typed out after this long is taken as finished. */
const SETTLE_CAP_MS = 5_000;

const DEFAULT_SCREENSHOT_DIR = 'results/screenshots';

/** Idle chat sessions on portals last minutes; a spare page older than this is not handed out. */
const SPARE_MAX_AGE_MS = 60_000;
/** After a spare page failed to open, how long the adapter opens pages only when asked. */
const SPARE_PAUSE_MS = 30_000;

export interface WebWidgetAdapterOptions {
  config: WebWidgetAdapterConfig;
  env?: NodeJS.ProcessEnv;
  /**
   * A browser shared with other adapters (many widget targets, one Chromium); its owner closes it.
   * @default a browser of this adapter's own, closed with it
   */
  browser?: BrowserHost;
  /** Which Chromium an adapter with a browser of its own starts (see `locateChromium`). */
  chromium?: ChromiumOptions;
  /** Keep a screenshot of the chat as each reply finishes. @default none */
  evidence?: EvidenceOptions;
  /**
   * Spare pages: the next conversations' pages opened ahead (fresh context, page loaded, widget
   * open, greeting settled) while the current ones talk; `false` opens each page when its
   * conversation first sends.
   * @default spares older than a minute are not used
   */
  spares?: false | { maxAgeMs: number };
}

/** Where selectors are looked up: the page, or an iframe entered by a `frame` step. */
type Scope = Page | FrameLocator;

/** A conversation's page, ready for the next question. */
interface Session {
  context: BrowserContext;
  page: Page;
  scope: Scope;
  /** Fields filled with secrets, covered in screenshots. */
  mask: Locator[];
}

/**
 * A chatbot reached only through the chat widget on a web page (SPEC §3), driven in Chromium
 * (which one: `locateChromium`). One browser serves every conversation of the adapter; each
 * conversation gets its own context and page, opened on its first message and kept for its next
 * turns until one fails. The reply is every bot message that appeared after sending, once their
 * text stopped changing for `quietMs`; greetings already on the page are never part of it.
 */
export function createWebWidgetAdapter(opts: WebWidgetAdapterOptions): Adapter {
  const secrets = new Set<string>();
  const config = expandEnv(opts.config, opts.env ?? process.env, secrets);
  if (!URL.canParse(config.url)) {
    throw new UserError(`web-widget url ${safeUrl(config.url)} is not a URL`, 'set adapter.url to the page that shows the chat widget, e.g. https://portal.example.gov.cn/');
  }
  const clean = (s: string): string => redact(s.split(config.url).join(safeUrl(config.url)), secrets);
  // A run that keeps evidence keeps its failures' screenshots with its replies'.
  const screenshotDir = opts.evidence?.dir ?? config.screenshotDir ?? DEFAULT_SCREENSHOT_DIR;
  const host = opts.browser ?? createBrowserHost(opts.chromium);
  /** Open pages, closed with the adapter even when the browser is not its own. */
  const contexts = new Set<BrowserContext>();

  const open = (): Warmable => {
    let session: Session | undefined;
    /** The page opened before the first message, while this conversation waited as a spare. */
    let early: HeadStart<Session> | undefined;
    let closed = false;
    let phase: WidgetPhase = 'launch';
    let doing = '';
    /** Where the last reply's messages start, for following one of its suggestions. */
    let lastReplyFrom: number | undefined;

    /**
     * Turns a failure into an AdapterError with a screenshot, and drops the page: the next send
     * starts afresh. Widgets lock their input while a reply is pending, so a page whose bot fell
     * silent would fail a retry as a browser error, hiding the timeout that a dead bot should count as.
     */
    const fail = async (err: unknown, s: Session | undefined, progress?: ReplyProgress): Promise<AdapterError> => {
      if (isOwnBug(err)) {
        // Ours, not the page's: recorded as a bug by the runner, without a screenshot that would blame the page.
        if (s) {
          if (session === s) session = undefined;
          await s.context.close().catch(() => undefined);
        }
        throw err;
      }
      const classified = err instanceof AdapterError ? { kind: err.kind, message: err.message } : classifyFailure(err, phase, doing);
      const { kind, message } = (s && (await wallBehind(s, classified.kind))) || classified;
      const screenshot = s ? await saveScreenshot(s.page, screenshotDir, s.mask) : undefined;
      if (s) {
        if (session === s) session = undefined;
        await s.context.close().catch(() => undefined);
      }
      const raw = progress?.html ? clean(progress.html).slice(0, RAW_LIMIT) : undefined;
      const details = err instanceof AdapterError ? err.details : { cause: err };
      return new AdapterError(kind, clean(message.replace(/^\[govbench\] \[adapter\] /, '')) + (s && !screenshot ? ' (no screenshot could be taken)' : ''), {
        ...details,
        ...(raw !== undefined && { raw }),
        ...(progress?.firstMs !== undefined && { firstMs: progress.firstMs, totalMs: progress.totalMs ?? progress.firstMs }),
        ...(screenshot !== undefined && { screenshot }),
      });
    };

    /** A chat that cannot be reached, or stays silent, may be behind a captcha or a login wall. */
    const wallBehind = async (s: Session, kind: string): Promise<{ kind: ErrorKind; message: string } | undefined> => {
      if (phase === 'launch' || phase === 'navigate' || (kind !== 'browser' && kind !== 'timeout')) return undefined;
      const wall = await findWall(s.page, visible(s.scope, config.selectors.input));
      return wall && { kind: wall.kind, message: `${doing}: ${wall.message}` };
    };

    const start = async (signal: AbortSignal): Promise<Session> => {
      phase = 'launch';
      doing = 'starting Chromium';
      let s: Session | undefined;
      try {
        const pending = host.newContext(config.url);
        // A context that arrives after the turn gave up is closed rather than left in the browser.
        signal.addEventListener('abort', () => void pending.then((c) => (s ? undefined : c.close())).catch(() => undefined), { once: true });
        const context = await abortable(pending, signal);
        contexts.add(context);
        context.on('close', () => contexts.delete(context));
        const page = await context.newPage();
        page.setDefaultTimeout(ACTION_TIMEOUT_MS);
        s = { context, page, scope: page, mask: [page.locator('input[type=password]')] };
        if (closed) throw new AdapterError('browser', 'the conversation was closed while its page was opening');
        phase = 'navigate';
        doing = `loading ${config.url}`;
        await navigate(page, config.url, signal);
        phase = 'prepare';
        for (const step of config.steps) await runStep(s, step, signal);
        if (config.selectors.open) {
          doing = `opening the widget with ${config.selectors.open}`;
          await abortable(visible(s.scope, config.selectors.open).click(), signal);
        }
        doing = `waiting for the input ${config.selectors.input}`;
        await abortable(visible(s.scope, config.selectors.input).waitFor(), signal);
        phase = 'settle';
        doing = `reading the greeting from ${config.selectors.botMessage}`;
        const quiet = { quietMs: config.quietMs, capMs: config.quietMs + SETTLE_CAP_MS, signal };
        await settleMessages(s.scope.locator(config.selectors.botMessage), quiet);
        return s;
      } catch (err) {
        throw await fail(err, s);
      }
    };

    const runStep = async (s: Session, step: WidgetStep, signal: AbortSignal): Promise<void> => {
      if ('wait' in step) {
        doing = `waiting ${step.wait} ms`;
        await delay(step.wait, signal);
      } else if ('frame' in step) {
        doing = `entering the frame ${step.frame}`;
        const frame = visible(s.scope, step.frame);
        await abortable(frame.waitFor(), signal);
        s.scope = frame.contentFrame();
      } else if ('click' in step) {
        doing = `clicking ${step.click}`;
        await abortable(visible(s.scope, step.click).click(), signal);
      } else if ('popup' in step) {
        doing = `clicking ${step.popup} and waiting for the window it opens`;
        const opened = s.context.waitForEvent('page', { timeout: ACTION_TIMEOUT_MS });
        await abortable(visible(s.scope, step.popup).click(), signal);
        const page = await abortable(opened, signal);
        page.setDefaultTimeout(ACTION_TIMEOUT_MS);
        doing = `loading the window ${step.popup} opened`;
        await abortable(page.waitForLoadState('domcontentloaded'), signal);
        s.page = page;
        s.scope = page;
        s.mask = [page.locator('input[type=password]')];
      } else if ('fill' in step) {
        doing = `filling ${step.fill}`;
        const field = visible(s.scope, step.fill);
        if (clean(step.text) !== step.text) s.mask.push(field);
        await abortable(field.fill(step.text), signal);
      } else if ('press' in step) {
        doing = `pressing ${step.key} in ${step.press}`;
        await abortable(visible(s.scope, step.press).press(step.key), signal);
      } else {
        doing = `waiting for ${step.waitFor}`;
        await abortable(visible(s.scope, step.waitFor).waitFor(), signal);
      }
    };

    /**
     * Does what sends a message (types and sends it, or clicks a suggestion) and reads what the bot
     * says after it, with the reply's structure.
     */
    const exchange = async (signal: AbortSignal, act: (s: Session, messages: Locator, from: number) => Promise<void>): Promise<AdapterReply> => {
      if (!session) {
        lastReplyFrom = undefined;
        const head = early;
        early = undefined;
        session = (await head?.claim(signal)) ?? (await start(signal));
      }
      const s = session;
      const progress: ReplyProgress = { text: '', html: '' };
      try {
        phase = 'prepare';
        const messages = s.scope.locator(config.selectors.botMessage);
        doing = `counting the messages ${config.selectors.botMessage}`;
        const before = await abortable(messages.count(), signal);
        await act(s, messages, before);
        const sentAt = performance.now();
        spares?.topUp();
        phase = 'reply';
        doing = `waiting for a reply in ${config.selectors.botMessage}`;
        const reply = await awaitReply(messages, before, { quietMs: config.quietMs, sentAt, signal }, progress);
        const structure = pageStructure(reply.text, await abortable(readMarkup(messages, before), signal));
        lastReplyFrom = before;
        const evidence = await replyEvidence(s.page, opts.evidence, s.mask);
        return {
          text: clean(reply.text),
          raw: clean(reply.html).slice(0, RAW_LIMIT),
          firstMs: reply.firstMs,
          totalMs: reply.totalMs,
          ...cleanStructure(structure, clean),
          ...evidence,
        };
      } catch (err) {
        throw await fail(err, s, progress);
      }
    };

    const type = async (s: Session, message: string, signal: AbortSignal): Promise<void> => {
      const { input, send: button } = config.selectors;
      doing = `typing into ${input}`;
      const field = visible(s.scope, input);
      await abortable(field.fill(message), signal);
      doing = button ? `clicking ${button}` : `pressing Enter in ${input}`;
      await abortable(button ? visible(s.scope, button).click() : field.press('Enter'), signal);
    };

    return {
      warm() {
        early = headStart(start, { limitMs: ACTION_TIMEOUT_MS, onLost: dropScreenshot, passOn: isOwnBug });
        return early.ready;
      },
      get closed() {
        return closed;
      },
      send: (message, signal) => exchange(signal, (s) => type(s, message, signal)),
      follow(suggestion, signal): Promise<AdapterReply> {
        return exchange(signal, async (s, messages) => {
          doing = `finding the suggestion "${suggestion}"`;
          const from = lastReplyFrom;
          const item = from === undefined ? null : await abortable(suggestionItem(messages, from, suggestion), signal);
          // A list given as plain text has nothing to click: a citizen would type the question.
          if (!item) return type(s, suggestion, signal);
          doing = `clicking the suggestion "${suggestion}"`;
          await abortable(item.click(), signal);
        });
      },
      async close() {
        closed = true;
        const head = early;
        early = undefined;
        const s = session ?? (await head?.cancel());
        session = undefined;
        // Not awaited: the next case need not wait for Chromium to tear this page down; the adapter's close still does.
        void s?.context.close().catch(() => undefined);
      },
    };
  };
  const spares = opts.spares === false ? undefined : createWarmPool(open, { maxAgeMs: opts.spares?.maxAgeMs ?? SPARE_MAX_AGE_MS, pauseMs: SPARE_PAUSE_MS });

  return {
    name: ADAPTER_NAME,
    open: (): Conversation => spares?.take() ?? open(),
    probe: (signal) => probeUrl(config.url, {}, signal),
    redact: clean,
    async close() {
      await spares?.close();
      await Promise.all([...contexts].map((c) => c.close().catch(() => undefined)));
      if (!opts.browser) await host.close();
    },
  };
}

/**
 * Opens the page; an error status is an http-status failure whether Chromium shows the server's
 * error page or, for an empty body, fails the navigation itself.
 */
async function navigate(page: Page, url: string, signal: AbortSignal): Promise<void> {
  let status: number | undefined;
  const onResponse = (r: Response): void => {
    if (r.frame() === page.mainFrame() && r.request().isNavigationRequest()) status = r.status();
  };
  const failed = (code: number): AdapterError => new AdapterError('http-status', `HTTP ${code} loading ${url}`, { httpStatus: code });
  page.on('response', onResponse);
  try {
    const res = await abortable(page.goto(url, { waitUntil: 'domcontentloaded' }), signal);
    status = res?.status() ?? status;
  } catch (err) {
    if (status !== undefined && status >= 400) throw failed(status);
    throw err;
  } finally {
    page.off('response', onResponse);
  }
  if (status !== undefined && status >= 400) throw failed(status);
}

/** A spare page's failure reaches no report; its screenshot would be a file nothing links to. */
function dropScreenshot(err: unknown): void {
  if (err instanceof AdapterError && err.details.screenshot) void rm(err.details.screenshot, { force: true }).catch(() => undefined);
}

/** The first match that is shown: widgets often keep hidden copies of their input for other layouts. */
function visible(scope: Scope, selector: string): Locator {
  return scope.locator(selector).filter({ visible: true }).first();
}
