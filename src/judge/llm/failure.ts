/**
 * Why one request to the judge's endpoint gave no usable verdict, in words a reviewer can act on,
 * and whether asking again can help.
 */
import type { AIMessage } from '@langchain/core/messages';
import type { z } from 'zod';

export interface AttemptFailure {
  reason: string;
  /** The endpoint or the network failed (worth a pause before retrying), rather than the output. */
  transport: boolean;
  /** Asking again cannot help (bad key, unknown model, rejected request). */
  final: boolean;
}

/** Longest piece of an error message or of model output quoted in a reason. */
const MAX_QUOTE = 200;

/** Statuses where the same request will fail again. */
const FINAL_STATUSES = new Set([400, 401, 403, 404, 422]);

export function describeError(err: unknown, timedOut: boolean, timeoutMs: number): AttemptFailure {
  if (timedOut) return { reason: `no reply within ${timeoutMs} ms`, transport: true, final: false };
  const e = err as { name?: string; message?: string; status?: number; issues?: unknown };
  // With json_schema the OpenAI SDK validates the reply itself and throws zod's error.
  if (Array.isArray(e.issues)) return { reason: `output does not match the schema: ${formatIssues(e.issues as z.core.$ZodIssue[])}`, transport: false, final: false };
  const message = cut(e.message ?? String(err));
  if (typeof e.status === 'number') {
    return { reason: `endpoint answered HTTP ${e.status}: ${message}`, transport: true, final: FINAL_STATUSES.has(e.status) };
  }
  if (e.name === 'TimeoutError') return { reason: `no reply within ${timeoutMs} ms`, transport: true, final: false };
  if (e.name === 'SyntaxError') return { reason: `output is not valid JSON: ${message}`, transport: false, final: false };
  if (e.name === 'OutputParserException') return { reason: `output could not be parsed: ${message}`, transport: false, final: false };
  // The client reading fields of a body that was no chat completion at all (an HTML page, a proxy's error).
  if (e.name === 'TypeError' && /reading '/.test(message)) {
    return { reason: 'request failed: the endpoint did not return a chat completion', transport: true, final: false };
  }
  const prefix = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return { reason: `request failed: ${prefix}${message}`, transport: true, final: false };
}

/**
 * LangChain's includeRaw pipeline reports a parse failure only as `parsed: null`; parsing the raw
 * message again says what was wrong with it.
 */
export function describeParseFailure(raw: AIMessage, schema: z.ZodType): AttemptFailure {
  const fail = (reason: string): AttemptFailure => ({ reason, transport: false, final: false });
  if (raw.invalid_tool_calls && raw.invalid_tool_calls.length > 0) {
    return fail(`tool call arguments are not valid JSON: ${cut(raw.invalid_tool_calls[0]!.args ?? '')}`);
  }
  let value: unknown;
  const call = raw.tool_calls?.[0];
  if (call) value = call.args;
  else {
    const content = typeof raw.content === 'string' ? raw.content : JSON.stringify(raw.content);
    const json = content.replace(/^\s*```(?:json)?\s*/i, '').replace(/\s*```\s*$/, '');
    if (!json.trim()) return fail('empty output: no tool call and no content');
    try {
      value = JSON.parse(json);
    } catch {
      return fail(`output is not valid JSON: ${cut(content)}`);
    }
  }
  const result = schema.safeParse(value);
  if (result.success) return fail('output could not be parsed');
  return fail(`output does not match the schema: ${formatIssues(result.error.issues)}`);
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${cut(i.message)}`);
  return shown.join('; ') + (issues.length > 3 ? `; and ${issues.length - 3} more` : '');
}

function cut(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX_QUOTE ? `${one.slice(0, MAX_QUOTE)}…` : one;
}
