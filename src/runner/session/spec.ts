import { resolve } from 'node:path';
import { z } from 'zod';
import { JUDGE_MODES, type JudgeMode, type RunRow } from '../../domain/types.js';
import { UserError } from '../../util/errors.js';
import { CITIZEN_CHOICES, type CitizenChoice } from '../citizens.js';

/**
 * What a run is started with, from the CLI's flags or the terminal UI's launch form. The run records
 * it (see `recordOf`), so a run started in one resumes in the other.
 */
export interface RunSpec {
  /** Bank files or folders. */
  banks: string[];
  /** The targets registry file. */
  targets: string;
  /** Target ids; empty: every target of the registry. */
  target: string[];
  judge: JudgeMode;
  repeat: number;
  label?: string;
  /** Keep a screenshot of each reply of web-widget targets (`run --evidence`). */
  evidence?: boolean;
  /** Also ask each question with its matter named by its other names (`run --aliases`). */
  aliases?: boolean;
  /** Play the banks' scenarios with these simulated citizens (`run --scenarios --citizen`); absent: none. */
  citizen?: CitizenChoice;
  /** Red-team probe files or folders asked after the questions (`run --probes`). */
  probes?: string[];
}

/** A new run, or the id of one to continue. */
export type RunRequest = { spec: RunSpec } | { resume: string };

/**
 * A run's recorded options as a resume reads them back. govbench wrote them, but into a database a
 * user may carry between versions, so they are parsed like any input. `target` and `repeat` default
 * to what their absence always meant: every target, once.
 */
const recordedSchema = z.object({
  banks: z.array(z.string()).min(1),
  targets: z.string().min(1),
  target: z.array(z.string()).default([]),
  judge: z.enum(JUDGE_MODES),
  repeat: z.number().int().min(1).default(1),
  evidence: z.boolean().optional(),
  aliases: z.boolean().optional(),
  citizen: z.enum(CITIZEN_CHOICES).optional(),
  probes: z.array(z.string()).optional(),
});

/** What a run records of its spec: paths made absolute, so a resume from another folder finds them. */
export function recordOf(spec: RunSpec): z.input<typeof recordedSchema> {
  return {
    banks: spec.banks.map((p) => resolve(p)),
    targets: resolve(spec.targets),
    target: spec.target,
    judge: spec.judge,
    repeat: spec.repeat,
    ...(spec.evidence && { evidence: true }),
    ...(spec.aliases && { aliases: true }),
    ...(spec.citizen && { citizen: spec.citizen }),
    ...(spec.probes && { probes: spec.probes.map((p) => resolve(p)) }),
  };
}

/** The spec a stored run was started with; a UserError names the run and the field when it does not parse. */
export function recordedSpec(run: RunRow): RunSpec {
  const parsed = recordedSchema.safeParse(run.options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(the options)';
  throw new UserError(`run ${run.id}: its recorded option ${field} is not usable: ${issue.message}`, 'start a new run with the banks and targets it used');
}

/** The spec to resume a stored run with; a finished run has nothing left to ask. */
export function resumeSpec(run: RunRow): RunSpec {
  if (run.status === 'finished') throw new UserError(`run ${run.id} is finished; there is nothing to resume`, 'start a new run');
  return recordedSpec(run);
}
