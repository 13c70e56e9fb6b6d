/**
 * The LLM judge's rubric and prompt templates (judges/llm/): data kept out of code, validated once,
 * and hashed into the rubric hash that versions and keys every verdict.
 */
import { shippedFile } from '../../util/shipped-file.js';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { InputErrors, UserError } from '../../util/errors.js';
import { displayPath, parseYamlText, validateYaml, type YamlFile } from '../../util/yaml-file.js';
import { OUTPUT_FIELDS, type OutputField } from './schema.js';

/** Where the templates live, relative to the project root. */
const LLM_TEMPLATES_DIR = 'judges/llm';
const PROMPT_FILE = 'prompt.yaml';
const RUBRIC_FILE = 'rubric.md';

/**
 * Bumped by hand when code changes how a model's reply becomes a verdict (src/judge/llm/settle.ts);
 * it is hashed with the files, so cached verdicts of older rules are not served.
 */
const LLM_RULES_REVISION = 1;

/** Placeholders the prompt templates may use (see the header of prompt.yaml). */
const PLACEHOLDERS = [
  'rubric',
  'matter',
  'aspect',
  'intent',
  'question',
  'notes',
  'intents',
  'referenceAnswer',
  'keyPoints',
  'minKeyPoints',
  'facts',
  'contradictions',
  'fenceStart',
  'fenceEnd',
  'answer',
] as const;

const text = z.string().trim().min(1, 'expected non-empty text');

const promptFileSchema = z.strictObject({
  system: text,
  user: text,
  jsonMode: text,
  notes: z.strictObject({
    canonical: text,
    script: text,
    judgedTurn: text,
    clarifyTurn: text,
    outOfScope: text,
    none: text,
  }),
  fields: z.strictObject(Object.fromEntries(OUTPUT_FIELDS.map((f) => [f, text])) as Record<OutputField, typeof text>),
});

type PromptFile = z.output<typeof promptFileSchema>;

/** The loaded templates with the hash that versions them. */
export interface LlmTemplates extends PromptFile {
  rubric: string;
  /** sha256 hex over every file in the folder and the rules revision. */
  hash: string;
  dir: string;
}

/** The folder shipped with govbench, found by walking up from this module to the project root. */
function defaultTemplatesDir(): string {
  return dirname(shippedFile(import.meta.url, `${LLM_TEMPLATES_DIR}/${PROMPT_FILE}`, 'pass templatesDir to createLlmJudge'));
}

/** Reads, validates and hashes a template folder. */
export function loadLlmTemplates(dir: string = defaultTemplatesDir()): LlmTemplates {
  const files = readFolder(dir);
  const promptPath = join(dir, PROMPT_FILE);
  const promptText = files.get(PROMPT_FILE);
  const rubric = files.get(RUBRIC_FILE);
  if (promptText === undefined || rubric === undefined) {
    throw new UserError(`${displayPath(dir)}: expected ${PROMPT_FILE} and ${RUBRIC_FILE} in the LLM judge's template folder`);
  }
  const yaml = parseYamlText(promptText, displayPath(promptPath));
  const prompt = validateYaml(yaml, promptFileSchema);
  checkPlaceholders(yaml, prompt);
  const hash = createHash('sha256').update(`revision ${LLM_RULES_REVISION}\0`);
  for (const [name, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`${name}\0${content}\0`);
  return { ...prompt, rubric: rubric.trim(), hash: hash.digest('hex'), dir };
}

/** Fills `{{name}}` placeholders in one pass, so inserted text (an answer) is never scanned again. */
export function render(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER_RE, (whole, name: string) => values[name] ?? whole);
}

const PLACEHOLDER_RE = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

function checkPlaceholders(yaml: YamlFile, prompt: PromptFile): void {
  const known = new Set<string>(PLACEHOLDERS);
  const fail = (field: string, message: string): never => {
    throw new InputErrors([{ pos: yaml.posOf([field]), field, message }]);
  };
  for (const field of ['system', 'user'] as const) {
    for (const m of prompt[field].matchAll(PLACEHOLDER_RE)) {
      if (!known.has(m[1]!)) fail(field, `unknown placeholder {{${m[1]}}}; expected one of: ${PLACEHOLDERS.join(', ')}`);
    }
  }
  const answers = (t: string) => [...t.matchAll(PLACEHOLDER_RE)].filter((m) => m[1] === 'answer').length;
  if (answers(prompt.system) > 0) fail('system', 'the answer under test belongs in `user`, fenced; expected no {{answer}} here');
  if (answers(prompt.user) !== 1) fail('user', 'expected {{answer}} exactly once');
  const schemaRefs = [...prompt.jsonMode.matchAll(PLACEHOLDER_RE)].map((m) => m[1]);
  if (schemaRefs.length !== 1 || schemaRefs[0] !== 'schema') fail('jsonMode', 'expected exactly one placeholder, {{schema}}');
}

function readFolder(dir: string): Map<string, string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new UserError(`${displayPath(dir)}: cannot read the LLM judge's template folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const files = new Map<string, string>();
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isFile()) files.set(name, readFileSync(path, 'utf8'));
  }
  return files;
}
