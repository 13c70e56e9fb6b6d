/**
 * Replies that are not an answer from the bot but a wall in front of it: the conversation handed to a
 * human agent, or a session that has expired. Both are the city's failure to answer (counted against
 * availability), never an answer to judge.
 */
import { cleanText } from './normalize.js';

export type BlockedReplyKind = 'handoff' | 'expired';

/**
 * A wall is a short notice. An answer that mentions a human agent or an expiry in passing — 「如需帮助可
 * 转人工」 at the end of a guide, 「证件过期后请到人工窗口办理」 — is longer, or says it in words these
 * patterns do not take: they ask for a hand-off under way, or the session (not a licence) expiring.
 */
const MAX_NOTICE_CHARS = 80;

const HANDOFF: readonly RegExp[] = [
  /(?:正在|已经?|马上|立即|即将|现在)(?:为您|帮您)?(?:转接|转入|转至|转到|转)(?:至|到)?人工/,
  /(?:正在|已经?|马上|立即)(?:为您)?(?:接入|连线|连接|分配)(?:人工|客服|坐席)/,
  /人工(?:客服|坐席|服务)(?:将|会|马上|即将|稍后)(?:为您服务|为您解答|接入|与您联系)/,
  /^转人工(?:客服|服务)?(?:中|，|,|…|\.\.\.|$)/,
  /(?:正在|当前|目前)排队|排队(?:中|等待)|前面(?:还)?有\s*\d+\s*(?:人|位)|(?:您)?(?:当前)?排在第\s*\d+/,
  /(?:人工)?(?:客服|坐席)(?:均|都)?(?:繁忙|忙碌|正忙)/,
];

const EXPIRED: readonly RegExp[] = [
  /会话(?:已经?|已)?(?:过期|超时|失效)/,
  /(?:登录|登陆)(?:状态|信息)?(?:已经?)?(?:失效|过期|超时)/,
  /(?:页面|链接|令牌|凭证|token)(?:已经?)(?:过期|失效)/,
  /请刷新(?:页面|网页)?后?(?:重试|再试|重新)/,
  /session\s+(?:has\s+)?(?:expired|timed\s*out)|session\s+timeout/,
];

/** What wall a reply is, if it is only a wall; undefined for an answer (however it mentions either). */
export function blockedReplyKind(reply: string): BlockedReplyKind | undefined {
  // Inline tags leave spaces inside a Chinese phrase (<b>转接人工</b>); latin words keep theirs.
  const text = cleanText(reply).replace(/\s+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])\s+/g, '');
  const chars = [...text.replace(/\s+/g, '')].length;
  if (chars === 0 || chars > MAX_NOTICE_CHARS) return undefined;
  if (EXPIRED.some((p) => p.test(text))) return 'expired';
  if (HANDOFF.some((p) => p.test(text))) return 'handoff';
  return undefined;
}

/** How a turn's error reads when its reply was a wall. */
export const BLOCKED_REPLY_ERRORS: Readonly<Record<BlockedReplyKind, string>> = {
  handoff: 'the reply hands the conversation to a human agent instead of answering',
  expired: 'the reply says the session has expired',
};
