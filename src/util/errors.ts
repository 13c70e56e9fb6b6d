import type { SourcePos } from '../domain/types.js';

/**
 * A mistake in the user's input or configuration: printed without a stack, exit code 2 (SPEC §6).
 * Anything else that escapes is a bug and keeps its stack.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Several input problems found in one pass, so a user fixes them all at once. */
export class InputErrors extends UserError {
  override name = 'InputErrors';
  constructor(readonly problems: InputProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export interface InputProblem {
  pos: SourcePos;
  /** Dotted path of the offending field, e.g. `questions[3].aspect`. */
  field: string;
  message: string;
}

export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}

function formatProblem(p: InputProblem): string {
  return `${formatPos(p.pos)}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}
