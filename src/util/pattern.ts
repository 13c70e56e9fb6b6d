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
