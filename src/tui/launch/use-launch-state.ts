import { useReducerStore } from '../use-reducer-store.js';
import { JUDGE_MODES, type RegionId } from '../../domain/types.js';
import { DEFAULT_BANK_DIR } from '../../banks/load-banks.js';
import { DEFAULT_TARGETS_FILE } from '../../config/load-targets.js';
import { cycle, MAX_REPEAT, TARGET_MODES, type ChoiceField, type LaunchForm, type TextField } from './launch-model.js';

export interface LaunchState {
  form: LaunchForm;
  /** The key of the focused row. */
  focus: string;
  /** A text field being edited, with what has been typed so far. */
  editing: { field: TextField; draft: string } | null;
  /** Why the last Enter did not start a run. */
  problem: string | null;
}

export type LaunchAction =
  | { type: 'focus'; key: string }
  | { type: 'edit'; field: TextField }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'clear' }
  | { type: 'commit' }
  | { type: 'cancel' }
  | { type: 'cycle'; field: ChoiceField; delta: number; regions: readonly RegionId[] }
  | { type: 'toggle-target'; id: string }
  | { type: 'toggle-bank'; file: string }
  | { type: 'problem'; problem: string | null };

const initialLaunchForm: LaunchForm = {
  targetsFile: DEFAULT_TARGETS_FILE,
  bankPath: DEFAULT_BANK_DIR,
  mode: 'all',
  region: null,
  picked: [],
  excluded: [],
  judge: 'matcher',
  repeat: 1,
  label: '',
};

const toggled = (list: readonly string[], item: string): string[] => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

function reduceLaunch(state: LaunchState, action: LaunchAction): LaunchState {
  const form = state.form;
  switch (action.type) {
    case 'focus':
      return { ...state, focus: action.key };
    case 'edit':
      return { ...state, focus: action.field, editing: { field: action.field, draft: form[action.field] }, problem: null };
    case 'type':
      return state.editing ? { ...state, editing: { ...state.editing, draft: state.editing.draft + action.text } } : state;
    case 'erase':
      return state.editing ? { ...state, editing: { ...state.editing, draft: [...state.editing.draft].slice(0, -1).join('') } } : state;
    case 'clear':
      return state.editing ? { ...state, editing: { ...state.editing, draft: '' } } : state;
    case 'commit': {
      if (!state.editing) return state;
      const { field, draft } = state.editing;
      const value = field === 'label' ? draft : draft.trim();
      // A new targets file or bank folder has other targets and files: earlier choices no longer apply.
      const reset = field === 'targetsFile' ? { picked: [], region: null } : field === 'bankPath' ? { excluded: [] } : {};
      return { ...state, editing: null, form: { ...form, [field]: value, ...reset } };
    }
    case 'cancel':
      return { ...state, editing: null };
    case 'cycle': {
      const d = action.delta;
      switch (action.field) {
        case 'mode':
          return { ...state, form: { ...form, mode: cycle(TARGET_MODES, form.mode, d) } };
        case 'region':
          if (action.regions.length === 0) return state;
          return { ...state, form: { ...form, region: cycle(action.regions, form.region ?? action.regions[0]!, d) } };
        case 'judge':
          return { ...state, form: { ...form, judge: cycle(JUDGE_MODES, form.judge, d) } };
        case 'repeat':
          return { ...state, form: { ...form, repeat: Math.max(1, Math.min(MAX_REPEAT, form.repeat + d)) } };
      }
    }
    case 'toggle-target':
      return { ...state, form: { ...form, picked: toggled(form.picked, action.id) } };
    case 'toggle-bank':
      return { ...state, form: { ...form, excluded: toggled(form.excluded, action.file) } };
    case 'problem':
      return { ...state, problem: action.problem };
  }
}

/** Focus starts on Start: Enter runs the defaults at once. */
export function useLaunchState(initial: Partial<LaunchForm> = {}) {
  return useReducerStore(reduceLaunch, (): LaunchState => ({ form: { ...initialLaunchForm, ...initial }, focus: 'start', editing: null, problem: null }));
}
