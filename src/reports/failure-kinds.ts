import type { FailureKind } from '../domain/types.js';

/**
 * Failure kinds (issue 15) as a report's reader names them: the Chinese word evaluators use, then the
 * stable id that the JSON and CSV reports keep.
 */
const LABELS: Readonly<Record<FailureKind, string>> = {
  fallback: '未理解 fallback',
  handoff: '转人工 handoff',
  'wrong-matter': '答错事项 wrong-matter',
  'wrong-aspect': '答偏 wrong-aspect',
  'missing-key-points': '要点不全 missing-key-points',
  'wrong-fact': '事实错误 wrong-fact',
  outdated: '政策过时 outdated',
  contradiction: '与规定矛盾 contradiction',
  'suggestions-only': '只给推荐问题 suggestions-only',
  'declined-in-scope': '推诿 declined-in-scope',
  'answered-out-of-scope': '超范围硬答 answered-out-of-scope',
  timeout: '超时 timeout',
  connect: '连接失败 connect',
  'http-status': 'HTTP 错误 http-status',
  parse: '无法解析 parse',
  empty: '空回复 empty',
  blocked: '拦截 blocked',
  unavailable: '不可用 unavailable',
};

export function failureKindLabel(kind: FailureKind): string {
  return LABELS[kind];
}
