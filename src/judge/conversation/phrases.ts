/**
 * The conversation phrase file (judges/conversation.yaml): how a bot's question is read, how the
 * `rule` citizen words its turns, the assistant's voice a citizen must not use, the `llm` citizen's
 * prompt. Validated once and kept normalised for matching.
 */
import { shippedFile } from '../../util/shipped-file.js';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { normalize } from '../../text/normalize.js';
import { UserError } from '../../util/errors.js';
import { parseYamlText, validateYaml } from '../../util/yaml-file.js';

const PHRASES_FILE = 'judges/conversation.yaml';

const phrase = z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1, 'expected a non-empty phrase'));
const list = z.array(phrase).min(1, 'expected at least one phrase');

const fileSchema = z.strictObject({
  courtesy: list,
  requestCues: list,
  synonyms: z.array(z.array(phrase).min(2, 'expected a group of at least two words')),
  citizen: z.strictObject({
    answer: phrase,
    answerJoin: z.string(),
    dontKnow: phrase,
    volunteer: phrase,
    askTopic: phrase,
    askDuration: phrase,
    askAmount: phrase,
  }),
  assistantVoice: list,
  ignorance: list,
  llmCitizen: z.strictObject({ system: phrase, user: phrase }),
  genericWords: z.array(phrase).default([]),
});

type PhraseFile = z.output<typeof fileSchema>;

/** The phrase file with its matching lists normalised (`normalize`: no punctuation, simplified, lower case). */
export interface ConversationPhrases {
  courtesy: readonly string[];
  requestCues: readonly string[];
  synonyms: ReadonlyArray<readonly string[]>;
  citizen: PhraseFile['citizen'];
  assistantVoice: readonly string[];
  /** A citizen turn holding one does not answer what it was asked. */
  ignorance: readonly string[];
  llmCitizen: PhraseFile['llmCitizen'];
  genericWords: ReadonlySet<string>;
}

function defaultPath(): string {
  return shippedFile(import.meta.url, PHRASES_FILE);
}

const cache = new Map<string, ConversationPhrases>();

/** Loads the phrase file once per process. */
export function loadConversationPhrases(file: string = defaultPath()): ConversationPhrases {
  const cached = cache.get(file);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read the conversation phrase file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const raw = validateYaml(parseYamlText(text, file), fileSchema);
  const norm = (xs: readonly string[]) => xs.map((x) => normalize(x)).filter((x) => x.length > 0);
  const phrases: ConversationPhrases = {
    courtesy: norm(raw.courtesy),
    requestCues: norm(raw.requestCues),
    synonyms: raw.synonyms.map(norm),
    citizen: raw.citizen,
    assistantVoice: norm(raw.assistantVoice),
    ignorance: norm(raw.ignorance),
    llmCitizen: raw.llmCitizen,
    genericWords: new Set(norm(raw.genericWords)),
  };
  cache.set(file, phrases);
  return phrases;
}

/** Fills `{{name}}` placeholders in one pass, so inserted text is never scanned again. */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}
