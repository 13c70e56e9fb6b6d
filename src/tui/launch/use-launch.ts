import type { RegionId } from '../../domain/types.js';
import { useKeys } from '../use-keys.js';
import type { LaunchRow } from './launch-model.js';
import type { LaunchAction, LaunchState } from './use-launch-state.js';

interface UseLaunchOptions {
  getState(): LaunchState;
  dispatch(action: LaunchAction): void;
  /** The rows of the form in a state (they change with the targets mode). */
  rowsOf(state: LaunchState): readonly LaunchRow[];
  regions: readonly RegionId[];
  isActive: boolean;
  onStart(): void;
  onResume(runId: string): void;
  /** `c`: check the readiness of the chosen targets. */
  onCheck(): void;
  /** Told at once when editing starts and ends, so the next key already finds screen keys off. */
  onEditing(editing: boolean): void;
}

/**
 * Keys of the launch form: ↑↓ (Home, End) move, ←→ change a choice, Space ticks a target or bank,
 * Enter edits a text field (Enter again keeps, Esc drops the change, Ctrl-U clears), resumes the
 * focused run, or starts the run; `c` checks the chosen targets' readiness.
 */
export function useLaunch({ getState, dispatch, rowsOf, regions, isActive, onStart, onResume, onCheck, onEditing }: UseLaunchOptions): void {
  /**
   * Keys that come faster than they are read (a paste, a busy machine) reach us as one piece, control
   * characters and all: "\u0015path\r" is Ctrl-U, the path, and Enter.
   */
  const typeRaw = (raw: string): void => {
    let text = '';
    const flush = () => {
      if (text !== '') dispatch({ type: 'type', text });
      text = '';
    };
    for (const ch of raw) {
      if (ch === '\r' || ch === '\n') {
        flush();
        dispatch({ type: 'commit' });
        onEditing(false);
        return;
      }
      if (ch === '\u0015' || ch === '\u007f' || ch === '\b') {
        flush();
        dispatch({ type: ch === '\u0015' ? 'clear' : 'erase' });
      } else if (!/[\u0000-\u001f]/.test(ch)) text += ch;
    }
    flush();
  };
  useKeys(
    (input, key) => {
      const state = getState();
      if (state.editing) {
        if (key.return || key.escape) {
          dispatch({ type: key.return ? 'commit' : 'cancel' });
          onEditing(false);
        } else if (key.backspace || key.delete) dispatch({ type: 'erase' });
        else if (key.ctrl && input === 'u') dispatch({ type: 'clear' });
        else if (!key.ctrl && !key.meta) typeRaw(input);
        return;
      }
      const rows = rowsOf(state);
      const at = Math.max(0, rows.findIndex((r) => r.key === state.focus));
      const row = rows[at];
      const focus = (i: number) => {
        const next = rows[Math.max(0, Math.min(rows.length - 1, i))];
        if (next) dispatch({ type: 'focus', key: next.key });
      };
      if (input === 'c' && !key.ctrl && !key.meta) onCheck();
      else if (key.home || key.end) focus(key.home ? 0 : rows.length - 1);
      else if (key.downArrow || key.upArrow) focus(at + (key.downArrow ? 1 : -1));
      else if ((key.leftArrow || key.rightArrow) && row?.kind === 'choice') {
        dispatch({ type: 'cycle', field: row.key, delta: key.rightArrow ? 1 : -1, regions });
      } else if (input === ' ' && row?.kind === 'toggle' && !row.disabled) {
        if (row.key.startsWith('target:')) dispatch({ type: 'toggle-target', id: row.key.slice('target:'.length) });
        else dispatch({ type: 'toggle-bank', file: row.key.slice('bank:'.length) });
      } else if (key.return) {
        if (row?.kind === 'text') {
          dispatch({ type: 'edit', field: row.key });
          onEditing(true);
        } else if (row?.kind === 'resume') onResume(row.runId);
        else onStart();
      }
    },
    { isActive },
  );
}
