import { z } from 'zod';

/** A compiled `match` / `contradictions` entry: a plain phrase or a JavaScript regex. */
export type CompiledPattern = { kind: 'phrase'; phrase: string } | { kind: 'regex'; regex: RegExp };

const REGEX_FORM = /^\/(.+)\/([dgimsuvy]*)$/s;

/** Throws on a malformed `/pattern/flags`; anything else is a phrase. */
export function parsePattern(source: string): CompiledPattern {
  const m = REGEX_FORM.exec(source);
  if (!m) return { kind: 'phrase', phrase: source };
  // Global/sticky flags make `test` stateful across calls; matching needs neither.
  return { kind: 'regex', regex: new RegExp(m[1]!, (m[2] ?? '').replace(/[gy]/g, '')) };
}

/** A pattern in a YAML file: a phrase or `/pattern/flags` that compiles; a bare YAML number is its text. */
export const patternSchema = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .check((ctx) => {
    try {
      parsePattern(ctx.value);
    } catch (err) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `invalid regular expression: ${(err as Error).message}` });
    }
  });
