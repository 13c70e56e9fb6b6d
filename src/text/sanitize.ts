/**
 * Text from outside — chatbot replies, judge rationales, names and labels from a shared registry —
 * made safe to show. In a terminal an escape sequence can clear the screen, retitle the window or move
 * the cursor over what was printed; anywhere, a bidi override makes text display as other than it is.
 * Every place that shows such text goes through here: the TUI, the CLI's lines, every report (HTML
 * escaping is added on top by `reports/html/escape.ts`). The matcher's normalisation drops the same
 * escape sequences before it compares an answer.
 */

// CSI, OSC (ended by BEL or ST) and other two-byte ESC sequences, then the 8-bit CSI and OSC: each is
// removed whole, so no parameter residue (`[31m`, `]0;title`) is left behind.
const ESCAPE_SEQUENCES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*(?:\u0007|\u009c)/g;

// C0 and C1 controls but tab, line feed and carriage return (each renderer decides what a line break
// becomes), and the bidi marks, embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Terminal escape sequences removed whole; lone control characters are left to the caller. */
export function stripEscapeSequences(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, '');
}

/** Escape sequences, control characters and bidi controls removed; tabs and line breaks kept. */
export function stripUnsafe(text: string): string {
  return stripEscapeSequences(text).replace(UNSAFE, '');
}

/** Safe text on one line: `stripUnsafe`, then every run of whitespace (line breaks too) one space, trimmed. */
export function oneLine(text: string): string {
  return stripUnsafe(text).replace(/\s+/g, ' ').trim();
}
