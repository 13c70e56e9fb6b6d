import { createHash } from 'node:crypto';
import { OUT_OF_SCOPE, type BankSet, type Intent, type Matter, type Question, type Scenario, type SourcePos } from '../domain/types.js';
import { InputErrors, UserError, formatPos, type InputProblem } from '../util/errors.js';
import { displayPath, expandYamlPaths, readYamlFile, validateYaml, type YamlFile } from '../util/yaml-file.js';
import { collectScenarios, type ScenarioSource } from './bank-scenarios.js';
import { bankFileSchema, type BankFile } from './schema.js';

/** The default location of the banks (SPEC §1). */
export const DEFAULT_BANK_DIR = 'question-banks/matters';

/** Bank files a path names: the file itself, or the YAML files directly inside a folder, sorted. */
export function expandBankPaths(paths: readonly string[]): string[] {
  return expandYamlPaths(paths, 'bank');
}

/**
 * Loads, validates and merges banks. Stops with every problem found — file, line, column, field and
 * what was expected — before anything is used.
 */
export function loadBanks(paths: readonly string[] = [DEFAULT_BANK_DIR]): BankSet {
  const files = expandBankPaths(paths);
  if (files.length === 0) throw new UserError(`no bank files (*.yaml) in ${paths.map(displayPath).join(', ')}`);
  const parsed = files.map((file) => {
    const yaml = readYamlFile(file);
    return { yaml, bank: validateYaml(yaml, bankFileSchema) };
  });
  return mergeBanks(parsed, files);
}

interface ParsedBank {
  yaml: YamlFile;
  bank: BankFile;
}

function mergeBanks(parsed: ParsedBank[], files: string[]): BankSet {
  const problems: InputProblem[] = [];
  const matters = new Map<string, { matter: Matter; pos: SourcePos; aspects: Map<string, Intent> }>();
  const questions: Question[] = [];
  const questionPos = new Map<string, SourcePos>();
  const scenarioSources: ScenarioSource[] = [];

  for (const { yaml, bank } of parsed) {
    const matterId = bank.matter.id;
    const seen = matters.get(matterId);
    if (seen && matterId !== OUT_OF_SCOPE) {
      problems.push({
        pos: yaml.posOf(['matter', 'id']),
        field: 'matter.id',
        message: `matter "${matterId}" is already defined at ${formatPos(seen.pos)}; expected an id unique across banks`,
      });
      continue;
    }
    const pos = yaml.posOf(['matter', 'id']);
    const entry = seen ?? { matter: { ...bank.matter, superseded: [], pos }, pos, aspects: new Map() };
    matters.set(matterId, entry);
    entry.matter.superseded = [...entry.matter.superseded, ...bank.superseded];

    const fileAspects = new Set<string>();
    bank.aspects.forEach((a, i) => {
      if (fileAspects.has(a.id)) {
        problems.push({ pos: yaml.posOf(['aspects', i, 'id']), field: `aspects[${i}].id`, message: `duplicate aspect "${a.id}"` });
      }
      fileAspects.add(a.id);
      if (!entry.aspects.has(a.id)) {
        entry.aspects.set(a.id, { id: `${matterId}/${a.id}`, matterId, aspectId: a.id, name: a.name });
      }
    });
    scenarioSources.push({ yaml, bank, aspects: fileAspects });

    bank.superseded.forEach((rule, i) => {
      (rule.aspects ?? []).forEach((aspect, j) => {
        if (!fileAspects.has(aspect)) {
          problems.push({
            pos: yaml.posOf(['superseded', i, 'aspects', j]),
            field: `superseded[${i}].aspects[${j}]`,
            message: `unknown aspect "${aspect}"; expected one of: ${[...fileAspects].join(', ')}`,
          });
        }
      });
    });

    bank.questions.forEach((q, i) => {
      const pos = yaml.posOf(['questions', i, 'id']);
      const earlier = questionPos.get(q.id);
      if (earlier) {
        problems.push({
          pos,
          field: `questions[${i}].id`,
          message: `duplicate question id "${q.id}" (first at ${formatPos(earlier)}); expected ids unique across all banks`,
        });
        return;
      }
      questionPos.set(q.id, pos);
      if (!fileAspects.has(q.aspect)) {
        problems.push({
          pos: yaml.posOf(['questions', i, 'aspect']),
          field: `questions[${i}].aspect`,
          message: `unknown aspect "${q.aspect}"; expected one of: ${[...fileAspects].join(', ')}`,
        });
        return;
      }
      const dupKeyPoint = firstDuplicate(q.reference.keyPoints.map((k) => k.id));
      if (dupKeyPoint) {
        problems.push({
          pos: yaml.posOf(['questions', i, 'reference', 'keyPoints']),
          field: `questions[${i}].reference.keyPoints`,
          message: `duplicate key point id "${dupKeyPoint}"`,
        });
      }
      questions.push({
        id: q.id,
        matterId,
        aspectId: q.aspect,
        intent: `${matterId}/${q.aspect}`,
        text: q.text ?? q.turns![0]!.user,
        variants: q.variants,
        ...(q.turns ? { turns: q.turns } : {}),
        critical: q.critical,
        reference: {
          answer: q.reference.answer,
          keyPoints: q.reference.keyPoints,
          minKeyPoints: q.reference.minKeyPoints ?? q.reference.keyPoints.length,
          facts: q.reference.facts,
          contradictions: q.reference.contradictions,
        },
        pos,
      });
    });
  }
  const scenarios = collectScenarios(scenarioSources, questionPos, problems);
  if (problems.length > 0) throw new InputErrors(problems);
  if (questions.length === 0) {
    // Every file is named: any one of them may be the one meant to hold the questions.
    throw new InputErrors(
      parsed.map(({ yaml }) => ({
        pos: yaml.posOf(['questions']),
        field: 'questions',
        message: 'the banks hold no questions; expected at least one under questions:',
      })),
    );
  }
  const matterList = [...matters.values()].map((m) => m.matter);
  const intents = [...matters.values()].flatMap((m) => [...m.aspects.values()]);
  return { matters: matterList, intents, questions, hash: hashBanks(matterList, intents, questions, scenarios), files: files.map(displayPath), scenarios };
}

function firstDuplicate(ids: string[]): string | undefined {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return undefined;
}

/** Hash of what judging depends on; positions and file names are left out so moving text keeps it. */
function hashBanks(matters: Matter[], intents: Intent[], questions: Question[], scenarios: Scenario[]): string {
  const content = JSON.stringify({
    matters: matters.map(({ pos: _pos, ...m }) => m),
    intents,
    questions: questions.map(({ pos: _pos, ...q }) => q),
    // Only when present, so banks without scenarios keep the hash their stored runs carry.
    ...(scenarios.length > 0 ? { scenarios: scenarios.map(({ pos: _pos, ...s }) => s) } : {}),
  });
  return createHash('sha256').update(content).digest('hex');
}

/** Index for lookups by question id. */
export function indexQuestions(banks: BankSet): Map<string, Question> {
  return new Map(banks.questions.map((q) => [q.id, q]));
}
