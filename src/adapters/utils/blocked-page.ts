import type { Locator, Page } from 'playwright-core';

/** A wall that keeps us from the chat: the city's failure, not a broken selector of ours. */
export interface Wall {
  kind: 'captcha' | 'login';
  message: string;
}

/** What a frame shows, as the page script below finds it. */
interface Signs {
  /** What gave a captcha away: a class, a frame's address or a line of text. */
  captcha: string | null;
  password: boolean;
  /** A line of text asking to log in. */
  login: string | null;
}

/**
 * Class names, ids and addresses of captcha widgets (Geetest, Tencent, Aliyun's nc_, NetEase's yidun)
 * and of the usual home-made ones. Captcha scripts from other sites are refused by our browser, so a
 * frame's address or a container's name is often all that shows.
 */
const CAPTCHA_MARKUP = /captcha|geetest|tcaptcha|(?:^|[\s_-])nc[_-]|yidun|slide-?verify|slider-?verif|verify-?code|vcode|kaptcha|checkcode/i;
/** The words of a captcha wall. Only short lines count: an answer may mention 验证码 in passing. */
const CAPTCHA_TEXT = /验证码|安全验证|人机验证|滑动验证|拖动滑块|向右滑动|滑块验证|请完成验证|点击完成验证|请按住滑块|拼图/;
/** Words that ask for a login. A link saying so is a portal's header (用户登录), not a wall: links are left out. */
const LOGIN_TEXT = /请先登录|请登录|登录后|扫码登录|统一身份认证|实名登录/;
/** A wall says what it is in a few words; longer lines are content. */
const MAX_LINE_CHARS = 40;

/** A hung page answers no script: the failure is reported as it was classified. */
const INSPECT_TIMEOUT_MS = 2_000;

/**
 * Looks at a page the chat could not be reached on, or stayed silent on, for a wall in front of it:
 * in every frame and open shadow root, what is visible. A login form or a request to log in counts
 * only while the chat's input is not reachable (portals show a login link beside a working chat); a
 * visible password field wins over a captcha beside it, since solving the captcha would still leave
 * the login.
 */
export async function findWall(page: Page, chatInput: Locator): Promise<Wall | undefined> {
  const inspect = Promise.all([
    Promise.all(page.frames().map((f) => f.evaluate(inspectDocument, [CAPTCHA_MARKUP.source, CAPTCHA_TEXT.source, LOGIN_TEXT.source, MAX_LINE_CHARS] as const).catch(() => null))),
    chatInput.isVisible().catch(() => false),
  ]);
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), INSPECT_TIMEOUT_MS).unref());
  const found = await Promise.race([inspect, timeout]);
  if (!found) return undefined;
  const [frames, inputReachable] = found;
  const signs = frames.filter((s): s is Signs => s !== null);
  if (!inputReachable && signs.some((s) => s.password)) return { kind: 'login', message: 'a login form (a password field) stands in front of the chat' };
  const captcha = signs.find((s) => s.captcha !== null)?.captcha;
  if (captcha) return { kind: 'captcha', message: `a captcha stands in front of the chat (${captcha})` };
  const login = signs.find((s) => s.login !== null)?.login;
  if (!inputReachable && login) return { kind: 'login', message: `the page asks to log in before chatting (“${login}”)` };
  return undefined;
}

/** Just enough of the DOM for the page script (the project compiles without the DOM's types). */
interface PageNode {
  nodeType: number;
  textContent: string | null;
}
interface PageElement extends PageNode {
  tagName: string;
  id: string;
  shadowRoot: { children: ArrayLike<PageElement> } | null;
  parentElement: PageElement | null;
  children: ArrayLike<PageElement>;
  childNodes: ArrayLike<PageNode>;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number; height: number };
  querySelector(selector: string): PageElement | null;
}
interface PageWindow {
  document: { documentElement: PageElement | null };
  getComputedStyle(el: PageElement): { visibility: string; opacity: string; display: string };
}

/** Runs in the page: walks its elements and open shadow roots, keeping what is visible. */
function inspectDocument([markupSource, textSource, loginSource, maxLine]: readonly [string, string, string, number]): Signs {
  const win = globalThis as unknown as PageWindow;
  const markup = new RegExp(markupSource, 'i');
  const captchaText = new RegExp(textSource);
  const loginText = new RegExp(loginSource);
  const signs: Signs = { captcha: null, password: false, login: null };
  const shown = (el: PageElement): boolean => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    const style = win.getComputedStyle(el);
    return style.visibility === 'visible' && style.display !== 'none' && Number(style.opacity) > 0;
  };
  const ownText = (el: PageElement): string => {
    let text = '';
    for (const n of Array.from(el.childNodes)) if (n.nodeType === 3) text += n.textContent ?? '';
    return text.replace(/\s+/g, ' ').trim();
  };
  const visit = (el: PageElement): void => {
    const tag = el.tagName.toLowerCase();
    if (tag === 'script' || tag === 'style' || tag === 'template') return;
    const names = `${el.id} ${el.getAttribute('class') ?? ''}`;
    const address = tag === 'iframe' || tag === 'img' ? (el.getAttribute('src') ?? '') : '';
    if (signs.captcha === null && (markup.test(names) || markup.test(address)) && shown(el)) {
      signs.captcha = markup.test(address) ? `${tag} ${address.slice(0, 80)}` : `${tag}.${names.trim().split(/\s+/).join('.')}`.slice(0, 80);
    }
    // A small drawn image beside a text field is how home-made captchas show their code.
    if (signs.captcha === null && tag === 'canvas' && shown(el)) {
      const box = el.getBoundingClientRect();
      const field = el.parentElement?.querySelector('input:not([type=hidden]):not([type=password])');
      if (box.width <= 240 && box.height <= 100 && field) signs.captcha = 'a drawn code beside a text field';
    }
    if (!signs.password && tag === 'input' && el.getAttribute('type') === 'password' && shown(el)) signs.password = true;
    const line = ownText(el);
    if (line !== '' && [...line].length <= maxLine) {
      if (signs.captcha === null && captchaText.test(line) && shown(el)) signs.captcha = `“${line}”`;
      if (signs.login === null && tag !== 'a' && loginText.test(line) && shown(el)) signs.login = line;
    }
    for (const child of Array.from(el.children)) visit(child);
    if (el.shadowRoot) for (const child of Array.from(el.shadowRoot.children)) visit(child);
  };
  const root = win.document.documentElement;
  if (root) visit(root);
  return signs;
}
