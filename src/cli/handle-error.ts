import { CommanderError } from 'commander';
import { UserError } from '../util/errors.js';
import { EXIT } from '../util/exit-codes.js';

/**
 * Turns an escaped error into an exit code: a user's mistake is printed plainly (exit 2), a bug
 * keeps its stack (exit 70) so it can be reported.
 */
export function handleError(err: unknown, stderr: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (err instanceof CommanderError) {
    // commander has already printed its message; help and version are not errors.
    return err.exitCode === 0 ? EXIT.done : EXIT.badInput;
  }
  if (err instanceof UserError) {
    stderr(`govbench: ${err.message}\n`);
    if (err.hint) stderr(`hint: ${err.hint}\n`);
    return EXIT.badInput;
  }
  stderr(`govbench: internal error — please report it with the lines below\n${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.bug;
}
