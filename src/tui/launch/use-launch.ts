import { useKeys } from '../use-keys.js';
import type { Dispatch } from 'react';
import type { RegionId } from '../../domain/types.js';
import type { LaunchRow } from './launch-model.js';
import type { LaunchAction, LaunchState } from './use-launch-state.js';

export interface UseLaunchOptions {
  state: LaunchState;
  dispatch: Dispatch<LaunchAction>;
  rows: readonly LaunchRow[];
  regions: readonly RegionId[];
  isActive: boolean;
  onStart(): void;
  onResume(runId: string): void;
}

/**
 * Keys of the launch form: ↑↓ (Home, End) move, ←→ change a choice, Space ticks a target or bank, Enter edits a
 * text field (Enter again keeps, Esc drops the change, Ctrl-U clears), resumes the focused run, or
 * starts the run.
 */
export function useLaunch({ state, dispatch, rows, regions, isActive, onStart, onResume }: UseLaunchOptions): void {
  useKeys(
    (input, key) => {
      if (state.editing) {
        if (key.return) dispatch({ type: 'commit' });
        else if (key.escape) dispatch({ type: 'cancel' });
        else if (key.backspace || key.delete) dispatch({ type: 'erase' });
        else if (key.ctrl && input === 'u') dispatch({ type: 'clear' });
        else if (!key.ctrl && !key.meta) {
          // Pasted text arrives in one piece, an Enter typed right after it sometimes in the same one.
          const [text = '', ...rest] = input.split(/\r\n|\r|\n/);
          const clean = text.replace(/[\u0000-\u001f\u007f]/g, '');
          if (clean !== '') dispatch({ type: 'type', text: clean });
          if (rest.length > 0) dispatch({ type: 'commit' });
        }
        return;
      }
      const at = Math.max(0, rows.findIndex((r) => r.key === state.focus));
      const row = rows[at];
      if (key.home || key.end) {
        const edge = rows[key.home ? 0 : rows.length - 1];
        if (edge) dispatch({ type: 'focus', key: edge.key });
      } else if (key.downArrow || key.upArrow) {
        const next = rows[Math.max(0, Math.min(rows.length - 1, at + (key.downArrow ? 1 : -1)))];
        if (next) dispatch({ type: 'focus', key: next.key });
      } else if ((key.leftArrow || key.rightArrow) && row?.kind === 'choice') {
        dispatch({ type: 'cycle', field: row.key, delta: key.rightArrow ? 1 : -1, regions });
      } else if (input === ' ' && row?.kind === 'toggle' && !row.disabled) {
        if (row.key.startsWith('target:')) dispatch({ type: 'toggle-target', id: row.key.slice('target:'.length) });
        else dispatch({ type: 'toggle-bank', file: row.key.slice('bank:'.length) });
      } else if (key.return) {
        if (row?.kind === 'text') dispatch({ type: 'edit', field: row.key });
        else if (row?.kind === 'resume') onResume(row.runId);
        else onStart();
      }
    },
    { isActive },
  );
}
