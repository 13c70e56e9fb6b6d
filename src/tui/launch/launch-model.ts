import { REGIONS, type JudgeMode, type RegionId, type Target } from '../../domain/types.js';
import type { TargetRegistry } from '../../config/load-targets.js';
import { REGION_LABELS } from '../../reports/format.js';
import type { RunSpec } from '../../runner/session/spec.js';
import { oneLine } from '../text.js';

type TargetMode = 'all' | 'region' | 'pick';
export const TARGET_MODES: readonly TargetMode[] = ['all', 'region', 'pick'];
export type TextField = 'targetsFile' | 'bankPath' | 'label';
export type ChoiceField = 'mode' | 'region' | 'judge' | 'repeat';

/** The launch form as a person fills it in. */
export interface LaunchForm {
  targetsFile: string;
  /** A bank folder or file. */
  bankPath: string;
  mode: TargetMode;
  /** With mode `region`; null: the registry's first region. */
  region: RegionId | null;
  /** With mode `pick`. */
  picked: readonly string[];
  /** Bank files of the folder left out. */
  excluded: readonly string[];
  judge: JudgeMode;
  repeat: number;
  label: string;
}

/** One bank file of the chosen folder: its matter, or why it does not load. */
export interface BankFileInfo {
  file: string;
  name: string;
  matterId: string | null;
  questions: number;
  /** Cases it adds per target and repeat: questions × phrasings. */
  cases: number;
  error: string | null;
}

/** A stored run that can be continued, as the launch screen lists it. */
export interface ResumableRun {
  id: string;
  label: string | null;
  status: string;
  done: number;
  planned: number;
}

/** What the form's choices are made from; null while loading or when it failed to load. */
export interface LaunchData {
  registry: TargetRegistry | null;
  banks: readonly BankFileInfo[] | null;
  resumable: readonly ResumableRun[];
}

export type LaunchRow =
  | { key: TextField; kind: 'text'; label: string; value: string; note: string }
  | { key: ChoiceField; kind: 'choice'; label: string; value: string; note: string }
  | { key: string; kind: 'toggle'; label: string; checked: boolean; note: string; disabled: boolean }
  | { key: 'start'; kind: 'start'; label: string }
  | { key: string; kind: 'resume'; runId: string; label: string };

export const MAX_REPEAT = 20;

/** Regions present in a registry, in the usual order. */
export function regionsOf(registry: TargetRegistry | null): RegionId[] {
  const present = new Set(registry?.targets.map((t) => t.region));
  return REGIONS.filter((r) => present.has(r));
}

function chosenRegion(form: LaunchForm, registry: TargetRegistry | null): RegionId | null {
  return form.region ?? regionsOf(registry)[0] ?? null;
}

/** The targets the form picks, in registry order; those without an endpoint cannot be asked and are left out. */
export function selectedTargets(form: LaunchForm, registry: TargetRegistry | null): Target[] {
  if (!registry) return [];
  const reachable = registry.targets.filter((t) => t.adapter !== null);
  if (form.mode === 'all') return reachable;
  if (form.mode === 'region') return reachable.filter((t) => t.region === chosenRegion(form, registry));
  const picked = new Set(form.picked);
  return reachable.filter((t) => picked.has(t.id));
}

/** Bank files that load and are not left out. */
export function selectedBanks(form: LaunchForm, banks: readonly BankFileInfo[] | null): BankFileInfo[] {
  const out = new Set(form.excluded);
  return (banks ?? []).filter((b) => b.error === null && !out.has(b.file));
}

/** The rows of the form, in focus order. */
export function launchRows(form: LaunchForm, data: LaunchData): LaunchRow[] {
  const reg = data.registry;
  const rows: LaunchRow[] = [
    {
      key: 'targetsFile',
      kind: 'text',
      label: 'Targets file',
      value: form.targetsFile,
      note: reg ? `${reg.targets.length} targets${reg.unconfigured.length > 0 ? `, ${reg.unconfigured.length} without an endpoint` : ''}` : '',
    },
    { key: 'mode', kind: 'choice', label: 'Targets', value: form.mode, note: `${selectedTargets(form, reg).length} chosen` },
  ];
  if (form.mode === 'region') {
    const region = chosenRegion(form, reg);
    rows.push({ key: 'region', kind: 'choice', label: 'Region', value: region ?? '—', note: region ? REGION_LABELS[region] : '' });
  }
  if (form.mode === 'pick' && reg) {
    const picked = new Set(form.picked);
    for (const t of reg.targets) {
      rows.push({ key: `target:${t.id}`, kind: 'toggle', label: `${oneLine(t.name)}  ${t.id}`, checked: picked.has(t.id), note: t.region, disabled: t.adapter === null });
    }
  }
  rows.push({ key: 'bankPath', kind: 'text', label: 'Banks', value: form.bankPath, note: data.banks ? `${selectedBanks(form, data.banks).length} of ${data.banks.length} files` : '' });
  const out = new Set(form.excluded);
  for (const b of data.banks ?? []) {
    rows.push({
      key: `bank:${b.file}`,
      kind: 'toggle',
      label: oneLine(b.name),
      checked: b.error === null && !out.has(b.file),
      note: b.error !== null ? oneLine(b.error) : `${b.questions} questions, ${b.cases} phrasings`,
      disabled: b.error !== null,
    });
  }
  rows.push(
    { key: 'judge', kind: 'choice', label: 'Judge', value: form.judge, note: form.judge === 'matcher' ? 'offline' : 'needs GOVBENCH_LLM_BASE_URL and GOVBENCH_LLM_MODEL' },
    { key: 'repeat', kind: 'choice', label: 'Repeats', value: String(form.repeat), note: 'each question asked this many times' },
    { key: 'label', kind: 'text', label: 'Label', value: form.label, note: '' },
    { key: 'start', kind: 'start', label: 'Start the run' },
  );
  for (const r of data.resumable) {
    rows.push({ key: `resume:${r.id}`, kind: 'resume', runId: r.id, label: `Resume ${r.id}${r.label ? ` (${oneLine(r.label)})` : ''} · ${r.done}/${r.planned} cases · ${r.status}` });
  }
  return rows;
}

/** The next value of a choice field. */
export function cycle<T>(values: readonly T[], current: T, delta: number): T {
  const i = values.indexOf(current);
  return values[(((i === -1 ? 0 : i) + delta) % values.length + values.length) % values.length]!;
}

/** The run the form describes, or what is missing. */
export function specOf(form: LaunchForm, data: LaunchData): RunSpec | { problem: string } {
  if (!data.registry) return { problem: 'the targets file does not load (see above)' };
  if (!data.banks) return { problem: 'the banks do not load (see above)' };
  const targets = selectedTargets(form, data.registry);
  if (targets.length === 0) return { problem: 'no targets chosen' };
  const banks = selectedBanks(form, data.banks);
  if (banks.length === 0) return { problem: 'no bank chosen' };
  const allBanks = banks.length === data.banks.length;
  return {
    banks: allBanks ? [form.bankPath] : banks.map((b) => b.file),
    targets: form.targetsFile,
    target: form.mode === 'all' && data.registry.unconfigured.length === 0 ? [] : targets.map((t) => t.id),
    judge: form.judge,
    repeat: form.repeat,
    ...(form.label.trim() !== '' && { label: form.label.trim() }),
  };
}
