/**
 * A program in a real pseudo-terminal, and the screen a person would see: for end-to-end tests of
 * the Ink UI on a machine without tmux. The terminal comes from Python's `pty` module, which works
 * alike on Linux and macOS and takes its arguments as a list (no shell quoting); python3 is there
 * wherever `npm install` builds better-sqlite3 from source. `stty` gives it its size before the
 * program starts, so the program's first frame is already drawn for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Relays stdin → terminal → stdout, and exits with the program's exit code. */
const PTY_RELAY = 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))';

/** What the keys send in xterm's encoding, named as tmux names them. */
const KEYS: Record<string, string> = {
  Enter: '\r',
  Escape: '\u001B',
  Tab: '\t',
  Up: '\u001B[A',
  Down: '\u001B[B',
  Right: '\u001B[C',
  Left: '\u001B[D',
  Home: '\u001B[H',
  End: '\u001B[F',
  'C-u': '\u0015',
  'C-c': '\u0003',
};

export interface Terminal {
  /** Sends a named key (Enter, Down, C-u …) or, for any other name, the name's characters. */
  key(name: string): void;
  /** Types text as it is. */
  type(text: string): void;
  /** The screen now: its rows, trailing blanks removed, as `tmux capture-pane -p` prints them. */
  screen(): string;
  /** The program's exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Ends the program if it is still running. */
  kill(): void;
}

/** Starts `command` in a `cols`×`rows` pseudo-terminal. `env` replaces this process's environment. */
export function startInTerminal(command: string[], opts: { cols: number; rows: number; cwd?: string; env: NodeJS.ProcessEnv }): Terminal {
  const args = ['-c', PTY_RELAY, 'sh', '-c', `stty cols ${opts.cols} rows ${opts.rows} && exec "$@"`, 'sh', ...command];
  const child: ChildProcess = spawn('python3', args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'inherit'] });
  const screen = new ScreenBuffer(opts.cols, opts.rows);
  const decoder = new TextDecoder('utf-8');
  child.stdout!.on('data', (chunk: Buffer) => screen.write(decoder.decode(chunk, { stream: true })));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
  return {
    key: (name) => child.stdin!.write(KEYS[name] ?? name),
    type: (text) => child.stdin!.write(text),
    screen: () => screen.text(),
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

/**
 * The part of a VT100/xterm that Ink's output uses: printing with wide (CJK) characters and
 * deferred line wrap, scrolling, cursor moves, erasing lines and the screen. Colours and modes
 * are read and ignored.
 */
export class ScreenBuffer {
  private cells: string[][];
  private row = 0;
  private col = 0;
  /** The cursor has written the last column: the next character goes to the next line. */
  private wrapPending = false;
  /** An escape sequence cut between two writes. */
  private pending = '';

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.cells = Array.from({ length: rows }, () => this.blankRow());
  }

  text(): string {
    return this.cells.map((r) => r.join('').trimEnd()).join('\n');
  }

  write(data: string): void {
    const s = this.pending + data;
    this.pending = '';
    let i = 0;
    while (i < s.length) {
      const ch = s[i]!;
      if (ch === '\u001B') {
        const consumed = this.escape(s, i);
        if (consumed === 0) {
          this.pending = s.slice(i);
          return;
        }
        i += consumed;
        continue;
      }
      const cp = s.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      if (ch === '\r') this.moveTo(this.row, 0);
      else if (ch === '\n') this.lineFeed();
      else if (ch === '\b') this.moveTo(this.row, this.col - 1);
      else if (ch === '\t') this.moveTo(this.row, Math.min(this.cols - 1, (Math.floor(this.col / 8) + 1) * 8));
      else if (cp >= 0x20 && cp !== 0x7f) this.print(String.fromCodePoint(cp), charWidth(cp));
    }
  }

  /** Handles the sequence at `i`; returns its length, or 0 when it is not complete yet. */
  private escape(s: string, i: number): number {
    const next = s[i + 1];
    if (next === undefined) return 0;
    if (next === '[') {
      const m = /^\[([?>=]?)([\d;]*)([ -/]*)([@-~])/.exec(s.slice(i + 1));
      if (!m) return /^\[[?>=]?[\d;]*[ -/]*$/.test(s.slice(i + 1)) ? 0 : 2;
      if (m[1] === '') this.csi(m[4]!, m[2]!.split(';').map((p) => (p === '' ? undefined : Number(p))));
      return 1 + m[0].length;
    }
    if (next === ']') {
      // An operating-system command (a window title): up to BEL or ESC \.
      const end = /\u0007|\u001B\\/.exec(s.slice(i + 2));
      return end ? 2 + end.index + end[0].length : 0;
    }
    // Character-set selections carry one more character; other two-character sequences are ignored.
    if ('()*+'.includes(next)) return s.length > i + 2 ? 3 : 0;
    return 2;
  }

  private csi(final: string, params: (number | undefined)[]): void {
    const n = Math.max(1, params[0] ?? 1);
    switch (final) {
      case 'A':
        return this.moveTo(this.row - n, this.col);
      case 'B':
        return this.moveTo(this.row + n, this.col);
      case 'C':
        return this.moveTo(this.row, this.col + n);
      case 'D':
        return this.moveTo(this.row, this.col - n);
      case 'E':
        return this.moveTo(this.row + n, 0);
      case 'F':
        return this.moveTo(this.row - n, 0);
      case 'G':
        return this.moveTo(this.row, n - 1);
      case 'H':
      case 'f':
        return this.moveTo(Math.max(1, params[0] ?? 1) - 1, Math.max(1, params[1] ?? 1) - 1);
      case 'J':
        return this.eraseScreen(params[0] ?? 0);
      case 'K':
        return this.eraseLine(params[0] ?? 0);
      default:
      // Colours (m), modes and the rest change nothing in the text on screen.
    }
  }

  private print(ch: string, width: number): void {
    if (width === 0) return;
    if (this.wrapPending || this.col + width > this.cols) {
      this.lineFeed();
      this.col = 0;
    }
    this.wrapPending = false;
    const line = this.cells[this.row]!;
    line[this.col] = ch;
    if (width === 2) line[this.col + 1] = '';
    this.col += width;
    if (this.col >= this.cols) {
      this.col = this.cols - 1;
      this.wrapPending = true;
    }
  }

  private lineFeed(): void {
    this.wrapPending = false;
    if (this.row < this.rows - 1) {
      this.row += 1;
      return;
    }
    this.cells.shift();
    this.cells.push(this.blankRow());
  }

  private moveTo(row: number, col: number): void {
    this.wrapPending = false;
    this.row = Math.min(this.rows - 1, Math.max(0, row));
    this.col = Math.min(this.cols - 1, Math.max(0, col));
  }

  private eraseLine(mode: number): void {
    const line = this.cells[this.row]!;
    const [from, to] = mode === 0 ? [this.col, this.cols] : mode === 1 ? [0, this.col + 1] : [0, this.cols];
    line.fill(' ', from, to);
  }

  private eraseScreen(mode: number): void {
    if (mode === 0) {
      this.eraseLine(0);
      for (let r = this.row + 1; r < this.rows; r++) this.cells[r] = this.blankRow();
    } else if (mode === 1) {
      this.eraseLine(1);
      for (let r = 0; r < this.row; r++) this.cells[r] = this.blankRow();
    } else {
      this.cells = Array.from({ length: this.rows }, () => this.blankRow());
    }
  }

  private blankRow(): string[] {
    return Array.from({ length: this.cols }, () => ' ');
  }
}

/**
 * Columns a character takes, as Ink (string-width) counts them: two for East Asian wide and
 * full-width characters, none for combining marks and zero-width joiners, else one.
 */
export function charWidth(cp: number): 0 | 1 | 2 {
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}
