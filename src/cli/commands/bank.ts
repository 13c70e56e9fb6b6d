import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addVariantsToYaml, type VariantAddition } from '../../banks/add-variants.js';
import { bankStats, type BankStats, type Coverage } from '../../banks/bank-stats.js';
import { buildDrafts, TODO } from '../../banks/draft-yaml.js';
import { readTable } from '../../banks/import-table.js';
import { DEFAULT_BANK_DIR, expandBankPaths, loadBanks } from '../../banks/load-banks.js';
import { PROPOSED_STYLES, proposeVariants, type ProposedStyle, type VariantProposal } from '../../banks/propose-variants.js';
import { UserError } from '../../util/errors.js';
import { writeFilesAtomic } from '../../util/write-atomic.js';
import { displayPath } from '../../util/yaml-file.js';

type Out = (s: string) => void;
const stdout: Out = (s) => process.stdout.write(s);

/** Where drafts go by default: beside the curated banks, but not among the ones a run loads. */
const DEFAULT_DRAFT_DIR = 'question-banks/drafts';

interface BankImportOptions {
  /** Put every row into one matter with this id. */
  matter?: string;
  /** @default DEFAULT_DRAFT_DIR */
  out?: string;
  /** Replace drafts that already exist. */
  force?: boolean;
  /** The sheet of a workbook to read; default: the first with recognised headers. */
  sheet?: string;
}

/**
 * `govbench bank import FILE`: one draft bank per matter from a CSV or XLSX table. Every draft is
 * checked by the bank loader before it is written; nothing is overwritten without --force, and
 * nothing is ever half-written.
 */
export async function bankImportCommand(file: string, opts: BankImportOptions, out: Out = stdout): Promise<void> {
  const table = await readTable(file, { requireMatter: opts.matter === undefined, ...(opts.sheet !== undefined && { sheet: opts.sheet }) });
  out(`read ${table.file}${table.sheet ? ` (sheet ${table.sheet})` : ''}: ${table.rows.length} questions\n`);
  out(`  columns: ${table.mapping.map((m) => `${m.header} → ${m.field}`).join(', ')}\n`);
  for (const w of table.warnings) out(`  warning: ${w}\n`);

  const drafts = buildDrafts(table, { ...(opts.matter !== undefined && { matterId: opts.matter }) });
  const dir = opts.out ?? DEFAULT_DRAFT_DIR;
  const targets = new Map(drafts.map((d) => [join(dir, d.fileName), d.text]));
  const existing = [...targets.keys()].filter((f) => existsSync(f));
  if (existing.length > 0 && !opts.force) {
    throw new UserError(`not overwriting ${existing.map(displayPath).join(', ')}`, 'pass --force to replace them, or --out DIR to write elsewhere');
  }
  mkdirSync(dir, { recursive: true });
  writeFilesAtomic(targets, (temps) => {
    try {
      loadBanks([...temps.values()]);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      let message = err.message;
      for (const [final, temp] of temps) message = message.split(displayPath(temp)).join(displayPath(final));
      throw new UserError(`the drafts do not pass the bank loader, so none was written (a bug in govbench bank import; please report it):\n${message}`);
    }
  });
  for (const d of drafts) {
    out(
      `wrote ${displayPath(join(dir, d.fileName))}: matter ${d.matterId} (${d.matterName}), ${d.questions} questions, ` +
        `${d.keyPoints} key points and ${d.facts} facts proposed, ${d.todos} ${TODO} marks\n`,
    );
  }
  out(`the drafts pass the bank loader. Resolve every ${TODO}, then move them to ${DEFAULT_BANK_DIR}/.\n`);
}

interface BankVariantsOptions {
  bank?: string[];
  question?: string[];
  /** Comma-separated: colloquial,terse,typo. */
  styles?: string;
  write?: boolean;
  json?: boolean;
}

/**
 * `govbench bank variants`: proposes colloquial, terse and typo variants offline. The proposals are
 * deterministic, so a person reviews the list, narrows it with --question / --styles, and runs the
 * same command with --write to add what they accept.
 */
export function bankVariantsCommand(opts: BankVariantsOptions, out: Out = stdout): void {
  const paths = opts.bank ?? [DEFAULT_BANK_DIR];
  const styles = parseStyles(opts.styles);
  const banks = loadBanks(paths);
  const known = new Set(banks.questions.map((q) => q.id));
  const unknown = (opts.question ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UserError(`--question: no question ${unknown.map((id) => `"${id}"`).join(', ')} in ${banks.files.join(', ')}`, 'question ids are the `id:` of entries under questions:');
  }
  const proposals = proposeVariants(banks, { styles, ...(opts.question && { questions: opts.question }) });
  if (opts.json && !opts.write) {
    out(`${JSON.stringify({ proposals }, null, 2)}\n`);
    return;
  }
  const texts = new Map(banks.questions.map((q) => [q.id, q.text]));
  let current = '';
  for (const p of proposals) {
    if (p.questionId !== current) {
      current = p.questionId;
      out(`${p.questionId}  ${texts.get(p.questionId)}\n`);
    }
    out(`  + ${p.style.padEnd(10)} ${p.text}${describeChanges(p)}\n`);
  }
  if (!opts.write) {
    out(`${proposals.length} proposals. Nothing written: check them, then run the same command with --write (narrow it with --question, --styles).\n`);
    return;
  }
  writeVariants(expandBankPaths(paths), proposals, out);
}

function writeVariants(files: string[], proposals: readonly VariantProposal[], out: Out): void {
  const additions: VariantAddition[] = proposals.map((p) => ({ questionId: p.questionId, style: p.style, text: p.text }));
  const changed = new Map<string, string>();
  const report: string[] = [];
  for (const file of files) {
    const result = addVariantsToYaml(readFileSync(file, 'utf8'), displayPath(file), additions);
    if (result.added.length > 0) {
      changed.set(file, result.text);
      report.push(`added ${result.added.length} variants to ${displayPath(file)}\n`);
    }
    for (const s of result.skipped) report.push(`  skipped ${s.addition.questionId} ${s.addition.style} "${s.addition.text}": ${s.reason}\n`);
  }
  // The banks as a run would load them, with the edited files in place, must still load.
  writeFilesAtomic(changed, (temps) => loadBanks(files.map((f) => temps.get(f) ?? f)));
  for (const line of report) out(line);
  if (changed.size === 0) out('nothing to add\n');
}

function describeChanges(p: VariantProposal): string {
  if (!p.changes) return '';
  return `   (${p.changes.map((c) => `${c.from}→${c.to} ${c.pinyin}`).join(', ')})`;
}

function parseStyles(value: string | undefined): ProposedStyle[] {
  if (value === undefined) return [...PROPOSED_STYLES];
  const styles = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const bad = styles.filter((s) => !(PROPOSED_STYLES as readonly string[]).includes(s));
  if (bad.length > 0 || styles.length === 0) {
    throw new UserError(`--styles: unknown style ${bad.map((s) => `"${s}"`).join(', ') || '(none given)'}; expected a comma-separated list of ${PROPOSED_STYLES.join(', ')}`);
  }
  return styles as ProposedStyle[];
}

interface BankStatsOptions {
  bank?: string[];
  json?: boolean;
}

/** `govbench bank stats`: coverage per matter, aspect and variant style, and what is below target. */
export function bankStatsCommand(opts: BankStatsOptions, out: Out = stdout): void {
  const stats = bankStats(loadBanks(opts.bank ?? [DEFAULT_BANK_DIR]));
  out(opts.json ? `${JSON.stringify(stats, null, 2)}\n` : renderStats(stats));
}

function renderStats(stats: BankStats): string {
  const t = stats.totals;
  const lines = [
    `banks: ${t.matters} matters, ${t.aspects} aspects, ${t.questions} questions (${t.scripts} multi-turn, ${t.clarifyScripts} clarification), ` +
      `${sum(t.variants)} variants`,
    '',
    `${'matter / aspect'.padEnd(32)} ${['questions', 'scripts', 'clarify', 'critical', 'facts', 'keyPoints'].map((h) => h.padStart(9)).join(' ')}  variants by style`,
  ];
  const row = (label: string, c: Coverage) =>
    `${label.padEnd(32)} ${[c.questions, c.scripts, c.clarifyScripts, c.critical, c.facts, c.keyPoints].map((n) => String(n).padStart(9)).join(' ')}  ${styles(c.variants)}`;
  for (const m of stats.matters) {
    lines.push(row(m.id, m));
    for (const a of m.aspects) lines.push(row(`  ${a.id}`, a));
  }
  lines.push('');
  const th = stats.thresholds;
  lines.push(
    `targets: ≥ ${th.questionsPerMatter} questions and ≥ ${th.aspectsPerMatter} aspects per matter, ≥ ${th.variantsPerQuestion} variants per question, ` +
      `≥ ${th.clarifyScriptsPerMatter} clarification scripts per matter (out-of-scope: variants only)`,
  );
  if (stats.flags.length === 0) lines.push('no flags: every bank meets the targets');
  else {
    lines.push(`flags (${stats.flags.length}):`);
    for (const f of stats.flags) lines.push(`  ${f.pos ? `${f.pos.file}:${f.pos.line}  ` : `${f.matter}: `}${f.message}`);
  }
  return `${lines.join('\n')}\n`;
}

function styles(variants: Record<string, number>): string {
  const entries = Object.entries(variants).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 0 ? '-' : entries.map(([s, n]) => `${s} ${n}`).join(' · ');
}

function sum(record: Record<string, number>): number {
  return Object.values(record).reduce((a, b) => a + b, 0);
}
