import type { ErrorKind } from '../domain/types.js';

/**
 * Failure kinds as a report's reader names them. The walls in front of a bot carry the Chinese word
 * evaluators use for them; the JSON and CSV reports keep the bare kind, which is the stable key.
 */
const LABELS: Readonly<Partial<Record<ErrorKind, string>>> = {
  captcha: '验证码 captcha',
  login: '登录 login',
  handoff: '转人工 hand-off',
  expired: '会话过期 expired',
  'page-load': '页面未加载 page-load',
  blocked: '拦截 blocked',
};

export function errorKindLabel(kind: ErrorKind): string {
  return LABELS[kind] ?? kind;
}
