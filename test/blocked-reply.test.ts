import { describe, expect, it } from 'vitest';
import { AdapterError } from '../src/adapters/utils/adapter-error.js';
import { statusOf } from '../src/runner/check-targets.js';
import { blockedReplyKind } from '../src/text/blocked-reply.js';

const LONG_ANSWER =
  '办理该事项需要准备以下材料：一、申请表原件一份；二、申请人身份证明复印件；三、经营场所的产权证明或租赁合同；' +
  '四、相关人员的资格证明。材料齐全后可在网上办事大厅提交，也可到政务服务中心综合窗口办理，法定办结时限为20个工作日。';

describe('blockedReplyKind', () => {
  it.each([
    ['正在为您转接人工客服，请稍候……', 'handoff'],
    ['转人工客服中，请稍等', 'handoff'],
    ['您好，人工客服将为您服务。', 'handoff'],
    ['当前排队中，您前面还有 3 人，请耐心等待', 'handoff'],
    ['已为您接入人工坐席', 'handoff'],
    ['人工坐席繁忙，请稍后再试', 'handoff'],
    ['<p>正在为您<b>转接人工</b></p>', 'handoff'],
    ['正在為您轉接人工客服', 'handoff'],
    ['会话已过期，请重新进入', 'expired'],
    ['会话超时，请刷新页面后重试', 'expired'],
    ['您的登录已失效，请重新登录', 'expired'],
    ['请刷新页面后重试', 'expired'],
    ['Session expired. Please reload.', 'expired'],
    ['會話已過期', 'expired'],
  ] as const)('%s → %s', (reply, kind) => {
    expect(blockedReplyKind(reply)).toBe(kind);
  });

  it.each([
    '证件过期后请到人工窗口办理',
    '如需帮助可拨打12345或转人工',
    '可转人工咨询，也可拨打热线',
    '许可证有效期已过期的，应当重新申请，不能办理延续。',
    '人工窗口的办理时间为工作日上午9:00至12:00。',
    `${LONG_ANSWER}如需帮助可拨打12345或转人工。`,
    `${LONG_ANSWER}会话超时请刷新页面后重试。`,
    `证件过期后请到人工窗口办理。${LONG_ANSWER}`,
    '',
    '   ',
  ])('no wall: %s', (reply) => {
    expect(blockedReplyKind(reply)).toBeUndefined();
  });
});

describe('walls in govbench check and in retries', () => {
  const reply = (text: string) => ({ text, raw: text, firstMs: 12, totalMs: 20 });

  it('gives blocked, with the wall in the detail, for captchas, login walls, hand-offs and expired sessions; unreachable for a page that never loads', () => {
    expect(statusOf(new AdapterError('captcha', 'a slider captcha covers the page'))).toEqual({
      status: 'blocked',
      firstReplyMs: null,
      reply: null,
      detail: 'captcha: a slider captcha covers the page',
    });
    expect(statusOf(new AdapterError('login', 'a password field')).detail).toBe('login wall: a password field');
    expect(statusOf(new AdapterError('expired', 'gone')).detail).toBe('expired session: gone');
    expect(statusOf(new AdapterError('page-load', 'loading x: not done')).status).toBe('unreachable');
    expect(statusOf(reply('正在为您转接人工客服，请稍候'))).toMatchObject({ status: 'blocked', firstReplyMs: 12, reply: '正在为您转接人工客服，请稍候' });
    expect(statusOf(reply('正在为您转接人工客服，请稍候')).detail).toMatch(/^hand-off to a human agent: /);
    expect(statusOf(reply('会话已过期')).detail).toMatch(/^expired session: /);
    expect(statusOf(reply('证件过期后请到人工窗口办理')).status).toBe('ready');
  });

  it('retries a page that did not load, never a wall', () => {
    expect(new AdapterError('page-load', 'x').retryable).toBe(true);
    for (const kind of ['captcha', 'login', 'handoff', 'expired'] as const) expect(new AdapterError(kind, 'x').retryable).toBe(false);
  });
});
