/**
 * Exit codes (SPEC §6), defined once for the CLI and the terminal UI. `bug` is sysexits.h's
 * EX_SOFTWARE: an internal error, printed with its stack so it can be reported. `notReady` is
 * `check`'s 1: a target that would fail a run, as a regression fails `compare`.
 */
export const EXIT = { done: 0, regression: 1, notReady: 1, badInput: 2, interrupted: 3, bug: 70 } as const;
