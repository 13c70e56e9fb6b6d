interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  /** Set without a Domain attribute: sent back to exactly that host only. */
  hostOnly: boolean;
  path: string;
  secure: boolean;
  /** Epoch ms; absent: a session cookie, kept for the conversation. */
  expires?: number;
}

/**
 * The cookies one conversation has been given, so vendors that keep the chat session in a cookie
 * see one visitor across turns. A subset of RFC 6265 §5: domain, path, Secure, Expires and Max-Age;
 * no public-suffix list, since every request goes to one configured endpoint.
 */
export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  /** Takes the `Set-Cookie` headers of a response to `url`. */
  store(url: string, setCookies: readonly string[], now = Date.now()): void {
    const u = new URL(url);
    for (const header of setCookies) {
      const cookie = parseSetCookie(header, u, now);
      if (!cookie) continue;
      const key = `${cookie.domain};${cookie.path};${cookie.name}`;
      if (cookie.expires !== undefined && cookie.expires <= now) this.#cookies.delete(key);
      else this.#cookies.set(key, cookie);
    }
  }

  /** The `Cookie` header value for a request to `url`, or undefined when no cookie applies. */
  header(url: string, now = Date.now()): string | undefined {
    const u = new URL(url);
    const host = u.hostname.toLowerCase();
    const matching: StoredCookie[] = [];
    for (const [key, c] of this.#cookies) {
      if (c.expires !== undefined && c.expires <= now) {
        this.#cookies.delete(key);
        continue;
      }
      const domainOk = c.hostOnly ? host === c.domain : host === c.domain || host.endsWith(`.${c.domain}`);
      if (domainOk && pathMatches(u.pathname || '/', c.path) && (!c.secure || u.protocol === 'https:')) matching.push(c);
    }
    if (matching.length === 0) return undefined;
    // RFC 6265 §5.4: longer paths first, so the most specific cookie wins on servers that read the first.
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.map((c) => (c.name ? `${c.name}=${c.value}` : c.value)).join('; ');
  }
}

function parseSetCookie(header: string, url: URL, now: number): StoredCookie | undefined {
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  const name = (eq < 0 ? '' : pair.slice(0, eq)).trim();
  const value = (eq < 0 ? pair : pair.slice(eq + 1)).trim();
  if (!name && !value) return undefined;
  const host = url.hostname.toLowerCase();
  const cookie: StoredCookie = { name, value, domain: host, hostOnly: true, path: defaultPath(url.pathname), secure: false };
  let maxAge: number | undefined;
  for (const attribute of attributes) {
    const i = attribute.indexOf('=');
    const key = (i < 0 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
    const val = i < 0 ? '' : attribute.slice(i + 1).trim();
    if (key === 'domain' && val) {
      const domain = val.replace(/^\./, '').toLowerCase();
      // A server may not set cookies for a domain it is not part of.
      if (host !== domain && !host.endsWith(`.${domain}`)) return undefined;
      cookie.domain = domain;
      cookie.hostOnly = false;
    } else if (key === 'path' && val.startsWith('/')) {
      cookie.path = val;
    } else if (key === 'secure') {
      cookie.secure = true;
    } else if (key === 'max-age' && /^-?\d+$/.test(val)) {
      maxAge = Number(val);
    } else if (key === 'expires') {
      const t = Date.parse(val);
      if (!Number.isNaN(t)) cookie.expires = t;
    }
  }
  // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
  if (maxAge !== undefined) cookie.expires = maxAge <= 0 ? 0 : now + maxAge * 1000;
  return cookie;
}

function defaultPath(pathname: string): string {
  if (!pathname.startsWith('/')) return '/';
  const last = pathname.lastIndexOf('/');
  return last <= 0 ? '/' : pathname.slice(0, last);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
