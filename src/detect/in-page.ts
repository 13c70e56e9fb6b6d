/**
 * What `detect` runs inside each frame of a portal page, installed once per frame as
 * `window.__govbenchDetect` rather than handed to Playwright call by call: its functions share state
 * between calls. Elements it reports are numbered, and later calls and selector checks refer to them
 * by number; `markSeen` remembers what was there, so that `fresh` can tell what a message added.
 *
 * Every walk goes through open shadow roots: portals mount chats in web components.
 */
export const IN_PAGE = String.raw`
(() => {
  if (window.__govbenchDetect) return;
  const els = [];
  const idOf = (el) => {
    let i = els.indexOf(el);
    if (i < 0) { els.push(el); i = els.length - 1; }
    return i;
  };
  const all = (root = document) => {
    const out = [];
    const walk = (node) => {
      for (const el of node.querySelectorAll('*')) {
        out.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(root);
    return out;
  };
  const parentOf = (el) => el.parentElement || (el.parentNode && el.parentNode.host) || null;
  const ancestors = (el, n) => {
    const out = [];
    for (let p = parentOf(el); p && out.length < n; p = parentOf(p)) out.push(p);
    return out;
  };
  const isVisible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    for (let e = el; e; e = parentOf(e)) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
    }
    return true;
  };
  const ownText = (el) => (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim();
  const attrs = (el) => [el.getAttribute('aria-label'), el.getAttribute('title'), el.getAttribute('alt'), el.getAttribute('placeholder')]
    .filter(Boolean).join(' ');
  const names = (el) => [el.id, typeof el.className === 'string' ? el.className : (el.getAttribute('class') || ''), el.getAttribute('name') || '']
    .join(' ');
  const isFixed = (el) => [el, ...ancestors(el, 6)].some((e) => ['fixed', 'sticky'].includes(getComputedStyle(e).position));

  const SEARCH = /搜索|检索|站内|全文|关键[字词]|search|sousuo/i;
  const SEARCH_NAME = /(^|[\s_-])(search|keyword|keywords|kw|query|wd|q|sousuo|ss|searchword)([\s_-]|$)/i;
  const CHAT_HINT = /问题|咨询|提问|想问|请输入|说点什么|说说|消息|留言|对话|ask|message|question|type here|输入内容/i;
  const CHAT_NAME = /chat|kefu|im[-_]|robot|bot|dialog|message|msg|conversation|assistant|znkf|znwd|zxzx|wenda|talk|answer|qa[-_]|customer|service/i;
  const NOT_CHAT = /验证码|用户名|账号|手机号|密码|姓名|身份证号|邮箱|校验码|captcha|password|username|email|phone|login/i;
  const SEND = /^(发送|发 送|提交|提问|咨询|send|submit|ask)$/i;

  /** The fields shown at the last markSeen: one that shows only after a launcher was clicked is the chat's. */
  let shownBefore = null;
  const inputs = () => {
    const out = [];
    for (const el of all()) {
      const tag = el.tagName.toLowerCase();
      const type = (el.getAttribute('type') || 'text').toLowerCase();
      const editable = el.isContentEditable && !(parentOf(el) && parentOf(el).isContentEditable);
      const field = tag === 'textarea' || (tag === 'input' && ['text', 'search', ''].includes(type)) || editable;
      if (!field || el.disabled || el.readOnly || !isVisible(el)) continue;
      // A field asking for a code, a name or a password belongs to a wall or a form, never to the chat.
      if (NOT_CHAT.test(attrs(el) + ' ' + names(el))) continue;
      let score = 1;
      const why = [];
      const a = attrs(el);
      const n = names(el);
      if (tag === 'textarea') { score += 2; why.push('textarea'); }
      if (editable) { score += 1; why.push('contenteditable'); }
      if (CHAT_HINT.test(a)) { score += 3; why.push('asks for a question'); }
      if (SEARCH.test(a)) { score -= 6; why.push('placeholder of a search box'); }

      if (type === 'search' || el.getAttribute('role') === 'searchbox') { score -= 5; why.push('a search field'); }
      if (SEARCH_NAME.test(n)) { score -= 4; why.push('named like a search box'); }
      const form = el.closest && el.closest('form');
      if (form && (SEARCH.test((form.getAttribute('action') || '') + ' ' + names(form)) || form.getAttribute('role') === 'search')) {
        score -= 3; why.push('in a search form');
      }
      const near = ancestors(el, 3);
      const buttons = near.flatMap((p) => Array.from(p.querySelectorAll('button, a, [role=button], input[type=submit], input[type=button], span, div, i')))
        .filter((b) => b !== el && isVisible(b) && ownText(b).length <= 6);
      if (buttons.some((b) => SEARCH.test(ownText(b) + ' ' + attrs(b) + ' ' + (b.value || '')))) { score -= 4; why.push('next to a search button'); }
      if (buttons.some((b) => SEND.test(ownText(b) || attrs(b) || b.value || '') || /send|fasong/i.test(names(b)))) { score += 3; why.push('next to a send button'); }
      if (ancestors(el, 6).some((p) => CHAT_NAME.test(names(p)))) { score += 2; why.push('inside a chat-like container'); }
      if (window !== window.top) { score += 1; why.push('in a frame'); }
      if (shownBefore && !shownBefore.has(el)) { score += 2; why.push('appeared when the chat was opened'); }
      out.push({ i: idOf(el), score, why, tag: editable ? 'contenteditable' : tag });
    }
    return out.sort((x, y) => y.score - x.score);
  };

  const LAUNCH_STRONG = /智能客服|在线客服|智能咨询|在线咨询|智能问答|智能助手|AI\s*助手|AI\s*客服|政务助手|咨询客服|联系客服|智能机器人|小[\u4e00-\u9fa5]{1,2}(助手|客服|在线)|我要咨询|我要提问|问一问|智能导办|在线答疑/i;
  const LAUNCH_WEAK = /客服|咨询|问答|助手|机器人|答疑|chat|kefu|robot|znkf|znwd|zxzx|assistant|service/i;
  const clickable = (el) => {
    const tag = el.tagName.toLowerCase();
    return ['a', 'button'].includes(tag) || el.getAttribute('role') === 'button' || el.hasAttribute('onclick') ||
      getComputedStyle(el).cursor === 'pointer';
  };
  const launchers = () => {
    const out = [];
    const vw = innerWidth, vh = innerHeight;
    for (const el of all()) {
      if (!isVisible(el) || !clickable(el)) continue;
      const text = ownText(el);
      if (text.length > 24) continue;
      const label = text + ' ' + attrs(el) + ' ' + Array.from(el.querySelectorAll('img, svg, [title], [aria-label]')).map(attrs).join(' ');
      const n = names(el);
      if (SEARCH.test(label)) continue;
      let score = 0;
      if (LAUNCH_STRONG.test(label)) score += 6;
      else if (LAUNCH_WEAK.test(label)) score += 3;
      if (CHAT_NAME.test(n) || LAUNCH_WEAK.test(n)) score += 2;
      if (score === 0) continue;
      const r = el.getBoundingClientRect();
      if (isFixed(el)) score += 2;
      if (r.x > vw * 0.6) score += 1;
      if (r.y > vh * 0.45) score += 1;
      out.push({ i: idOf(el), score, text: text || attrs(el) });
    }
    // The innermost of nested matches (a span in a div in a link) is what a person would click.
    const kept = out.filter((c) => !out.some((d) => d !== c && d.score >= c.score && els[c.i].contains(els[d.i])));
    return kept.sort((x, y) => y.score - x.score);
  };

  const sendButtons = (i) => {
    const input = els[i];
    const ir = input.getBoundingClientRect();
    const out = [];
    const seen = new Set();
    ancestors(input, 5).forEach((p, level) => {
      for (const b of p.querySelectorAll('*')) {
        if (seen.has(b) || b === input || b.contains(input) || input.contains(b) || !isVisible(b)) continue;
        seen.add(b);
        const text = ownText(b);
        const label = (text + ' ' + attrs(b) + ' ' + (b.value || '')).trim();
        const tag = b.tagName.toLowerCase();
        const isButton = tag === 'button' || b.getAttribute('role') === 'button' || (tag === 'input' && ['submit', 'button'].includes(b.type)) ||
          b.hasAttribute('onclick') || (getComputedStyle(b).cursor === 'pointer' && text.length <= 4);
        if (!isButton || text.length > 8) continue;
        let score = 0;
        if (b.disabled) continue;
        if (SEND.test(text || attrs(b) || b.value || '') || /发送|send|fasong/i.test(attrs(b) + ' ' + names(b))) score += 5;
        else if (text === '' && b.querySelector('svg, img, i')) score += 1;
        if (SEARCH.test(label)) score -= 10;
        if (/清空|清除|关闭|最小化|转人工|人工|评价|上传|表情|语音|图片|close|clear|emoji/i.test(label + ' ' + names(b))) score -= 6;
        const r = b.getBoundingClientRect();
        if (r.x >= ir.x + ir.width * 0.5 || r.y >= ir.y + ir.height - 2) score += 1;
        score -= level * 0.5;
        if (score > 0) out.push({ i: idOf(b), score, text: label });
      }
    });
    return out.sort((x, y) => y.score - x.score);
  };

  let seen = new WeakSet();
  const markSeen = () => {
    const now = all();
    seen = new WeakSet(now);
    shownBefore = new WeakSet(now.filter((el) => ['INPUT', 'TEXTAREA'].includes(el.tagName) || el.isContentEditable).filter(isVisible));
  };
  /** Elements added since markSeen whose parent was there before: the roots of what a message added. */
  const fresh = () => {
    const out = [];
    for (const el of all()) {
      if (seen.has(el)) continue;
      const p = parentOf(el);
      if (p && !seen.has(p)) continue;
      if (!isVisible(el)) continue;
      const text = ownText(el);
      if (text === '') continue;
      out.push({ i: idOf(el), text });
    }
    return out;
  };
  /** Descends while one child holds nearly all of the text: from a message row to its bubble. */
  const bubbleOf = (i) => {
    let el = els[i];
    const total = ownText(el).length;
    for (;;) {
      const kids = Array.from(el.children).concat(el.shadowRoot ? Array.from(el.shadowRoot.children) : []).filter(isVisible);
      const big = kids.find((k) => ownText(k).length >= total * 0.9);
      if (!big || kids.length === 0) return idOf(el);
      el = big;
    }
  };
  const isNew = (el) => !seen.has(el);

  /** Class-based selectors for an element and, failing those, for its ancestors' classes with it. */
  const STATE = /^(active|show|shown|open|opened|hover|focus|focused|selected|current|visible|hidden|in|fade|animate|animated|on|off|disabled|is-|has-|ng-|v-|data-v)/i;
  const cssEscape = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/[^\w-]/g, '\\$&'));
  const classesOf = (el) => Array.from(el.classList || []).filter((c) => !STATE.test(c) && !/\d{4,}/.test(c) && c.length <= 40);
  const quoted = (v) => '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  const selectorsFor = (i) => {
    const el = els[i];
    const tag = el.tagName.toLowerCase();
    const out = [];
    if (el.id && /^[A-Za-z][\w-]{0,40}$/.test(el.id) && !/\d{4,}/.test(el.id)) out.push('#' + cssEscape(el.id));
    for (const a of ['name', 'placeholder', 'aria-label', 'title', 'data-role', 'data-type', 'data-testid']) {
      const v = el.getAttribute(a);
      if (v && v.length <= 40) out.push(tag + '[' + a + '=' + quoted(v) + ']');
    }
    const cls = classesOf(el);
    for (const c of cls) out.push(tag + '.' + cssEscape(c));
    if (cls.length >= 2) out.push(tag + '.' + cls.slice(0, 2).map(cssEscape).join('.'));
    if (el.isContentEditable) out.push(tag + '[contenteditable]');
    const src = el.getAttribute('src');
    // A frame's address often carries a session or a timestamp after its path.
    if (tag === 'iframe' && src) out.push('iframe[src^=' + quoted(src.split(/[?#]/)[0]) + ']', 'iframe[src=' + quoted(src) + ']');
    for (const p of ancestors(el, 4)) {
      const pc = classesOf(p);
      const pid = p.id && /^[A-Za-z][\w-]{0,40}$/.test(p.id) && !/\d{4,}/.test(p.id) ? '#' + cssEscape(p.id) : null;
      const own = cls.length ? tag + '.' + cssEscape(cls[0]) : tag;
      if (pid) out.push(pid + ' ' + own);
      for (const c of pc.slice(0, 2)) out.push('.' + cssEscape(c) + ' ' + own);
    }
    out.push(tag);
    return out;
  };

  const within = (outer, inner) => {
    for (let p = inner; p; p = parentOf(p)) if (p === outer) return true;
    return false;
  };
  /**
   * How a candidate bot-message selector's matches sit against what the probe question added: the
   * roots of the reply and of the echoed question. A selector fits when it finds the reply, never the
   * echo, and no match holds another (their texts would be counted twice).
   */
  const judgeMatches = (matched, replyIdx, echoIdx) => {
    const reply = replyIdx.map((i) => els[i]);
    const echo = echoIdx.map((i) => els[i]);
    const fresh = matched.filter(isNew);
    return {
      count: matched.length,
      old: matched.length - fresh.length,
      inReply: fresh.filter((m) => reply.some((r) => within(r, m) || within(m, r))).length,
      strayNew: fresh.filter((m) => !reply.some((r) => within(r, m) || within(m, r))).length,
      touchesEcho: matched.some((m) => echo.some((e) => within(e, m) || within(m, e))),
      nested: matched.some((m) => matched.some((n) => n !== m && within(m, n))),
      text: fresh.map(ownText).join('\n'),
    };
  };
  /**
   * Selectors that tell the reply from the echoed question where both share their classes and the
   * echo has one more (\`say mine\` against \`say\`): the shared part with :not() of the echo's extra.
   */
  const contrast = (i, echoIdx) => {
    const out = [];
    const chain = [els[i], ...ancestors(els[i], 3)];
    const echo = echoIdx.flatMap((j) => [els[j], ...all(els[j]), ...ancestors(els[j], 3)]);
    chain.forEach((a, depth) => {
      const ac = classesOf(a);
      const twins = echo.filter((x) => x !== a && x.tagName === a.tagName && ac.every((c) => x.classList.contains(c)));
      if (twins.length === 0) return;
      const base = a.tagName.toLowerCase() + ac.map((c) => '.' + cssEscape(c)).join('');
      const path = chain.slice(0, depth).reverse().map((e) => e.tagName.toLowerCase() + (classesOf(e)[0] ? '.' + cssEscape(classesOf(e)[0]) : ''));
      const extras = [...new Set(twins.flatMap((x) => classesOf(x).filter((c) => !ac.includes(c))))];
      if (extras.length > 0) out.push([base + extras.map((c) => ':not(.' + cssEscape(c) + ')').join(''), ...path].join(' > '));
      // Or an attribute only the bot's side has, or has with another value (data-from="bot" against "me").
      for (const attr of Array.from(a.attributes)) {
        if (['class', 'id', 'style'].includes(attr.name) || attr.value.length > 30) continue;
        if (twins.some((x) => x.getAttribute(attr.name) === attr.value)) continue;
        out.push([base + '[' + attr.name + '=' + quoted(attr.value) + ']', ...path].join(' > '));
      }
    });
    return out;
  };

  window.__govbenchDetect = {
    els, idOf, inputs, launchers, sendButtons, markSeen, fresh, bubbleOf, selectorsFor, judgeMatches, contrast,
    text: (i) => ownText(els[i]),
  };
})();
`;
