import type { FailureKind } from '../domain/types.js';

/**
 * Failure kinds as the evaluation's readers name them: the Chinese term evaluators use, then the
 * stable id that JSON, CSV and trends key on.
 */
const LABELS: Readonly<Record<FailureKind, string>> = {
  fallback: '不理解 fallback',
  handoff: '转人工 hand-off',
  'wrong-matter': '答非所问·事项 wrong matter',
  'wrong-aspect': '答非所问·环节 wrong aspect',
  'missing-key-points': '要点缺失 missing key points',
  'wrong-fact': '事实错误 wrong fact',
  outdated: '政策过时 outdated',
  contradiction: '自相矛盾 contradiction',
  'suggestions-only': '只给推荐问 suggestions only',
  'declined-in-scope': '该答未答 declined in scope',
  'answered-out-of-scope': '越界作答 answered out of scope',
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
