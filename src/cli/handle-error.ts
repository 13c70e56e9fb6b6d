import { CommanderError } from 'commander';
import { UserError } from '../util/errors.js';

/**
 * Turns an escaped error into an exit code: a user's mistake is printed plainly (exit 2), a bug
 * keeps its stack (exit 70) so it can be reported.
 */
export function handleError(err: unknown, stderr: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (err instanceof CommanderError) {
    // commander has already printed its message; help and version are not errors.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof UserError) {
    stderr(`govbench: ${err.message}\n`);
    if (err.hint) stderr(`hint: ${err.hint}\n`);
    return 2;
  }
  stderr(`govbench: internal error — please report it with the lines below\n${(err as Error)?.stack ?? String(err)}\n`);
  return 70;
}
