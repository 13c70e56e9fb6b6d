import { z } from 'zod';
import { patternSchema } from '../util/pattern.js';

/** `match` and `contradictions` entries: a phrase or `/pattern/flags`; a bare YAML number is its text. */
const pattern = patternSchema.refine((v) => v.trim().length > 0, 'expected a non-empty phrase or /pattern/flags');

const id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a kebab-case id (a-z, 0-9, -)');
const text = z.string().trim().min(1, 'expected non-empty text');

/** A date as people write it in banks: 2024-01-01, 2024-01 or 2024 (YAML 1.2 keeps it a string). */
const date = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'expected a date as YYYY-MM-DD (or YYYY-MM, YYYY)'));

const sourceSchema = z
  .strictObject({
    title: text,
    issuer: z.string().optional(),
    year: z.number().int().min(1949).max(2100).optional(),
    article: z.string().optional(),
    url: z.string().optional(),
    /** When the text took effect. */
    effective: date.optional(),
    /** When it was repealed or replaced; a bank citing it is warned about by `govbench validate`. */
    repealed: date.optional(),
  })
  .refine((s) => s.effective === undefined || s.repealed === undefined || s.effective <= s.repealed, {
    message: 'repealed is earlier than effective',
    path: ['repealed'],
  });

const matterSchema = z.strictObject({
  id,
  name: text,
  nameEn: z.string().optional(),
  aliases: z.array(text).default([]),
  department: z.string().optional(),
  sources: z.array(sourceSchema).default([]),
  /** When a person last checked the bank against its sources; `govbench validate` warns after a year. */
  reviewed: date.optional(),
});

const aspectSchema = z.strictObject({ id, name: text });

const keyPointSchema = z.strictObject({
  id: z.string().min(1),
  text: text,
  match: z.array(pattern).min(1, 'expected at least one phrase in match'),
});

/** Another value the law allows for a fact (an extension, an exception), with where the law says so. */
const alsoValueSchema = z.strictObject({
  value: z.number(),
  /** Phrases of the sentence in which this value is lawful; empty: anywhere the fact applies. */
  context: z.array(pattern).default([]),
  source: text,
});

const factSchema = z.strictObject({
  id: z.string().min(1),
  text: text,
  value: z.number(),
  unit: text,
  context: z.array(pattern).default([]),
  also: z.array(alsoValueSchema).default([]),
});

/** A value an old rule stated: said with its unit in a sentence holding a context phrase, it is outdated. */
const oldFactSchema = z.strictObject({
  text: text,
  value: z.number(),
  unit: text,
  context: z.array(pattern).default([]),
});

/** A rule that no longer holds, and what it said, so that an answer repeating it is marked outdated. */
const supersededSchema = z
  .strictObject({
    id,
    /** The old rule, named as an answer might know it (title and article). */
    rule: text,
    repealed: date.optional(),
    replacedBy: z.string().optional(),
    /** The aspects it applies to; absent: every aspect of the matter. */
    aspects: z.array(id).optional(),
    facts: z.array(oldFactSchema).default([]),
    /** Statements of the old rule (a phrase or /pattern/); negated or reported abolished, they do not count. */
    statements: z.array(pattern).default([]),
  })
  .refine((r) => r.facts.length > 0 || r.statements.length > 0, {
    message: 'expected facts or statements: what the old rule said',
  });

const referenceSchema = z
  .strictObject({
    answer: text,
    keyPoints: z.array(keyPointSchema).min(1, 'expected at least one key point'),
    minKeyPoints: z.number().int().min(1).optional(),
    facts: z.array(factSchema).default([]),
    contradictions: z.array(pattern).default([]),
  })
  .refine((r) => r.minKeyPoints === undefined || r.minKeyPoints <= r.keyPoints.length, {
    message: 'minKeyPoints is larger than the number of key points',
    path: ['minKeyPoints'],
  });

const variantSchema = z.strictObject({ style: text, text: text });

const scriptTurnSchema = z.strictObject({
  user: text,
  expect: z.literal('clarify').optional(),
});

const questionSchema = z
  .strictObject({
    id,
    aspect: id,
    text: text.optional(),
    variants: z.array(variantSchema).default([]),
    turns: z.array(scriptTurnSchema).min(1).optional(),
    critical: z.boolean().default(false),
    reference: referenceSchema,
  })
  .refine((q) => q.text !== undefined || q.turns !== undefined, {
    message: 'expected `text` (a question) or `turns` (a multi-turn script)',
  })
  .refine((q) => !(q.text !== undefined && q.turns !== undefined), {
    message: 'a question has either `text` or `turns`, not both',
    path: ['turns'],
  });

/** A fact the simulated citizen gives when asked: a short value (a bare YAML number is its text). */
const citizenFact = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, 'expected a non-empty value').max(40, 'expected a short value (at most 40 characters)'));

/** A conversation a simulated citizen plays (issue 16): who they are, what they want, what they answer. */
const scenarioSchema = z.strictObject({
  id,
  aspect: id,
  persona: text,
  goal: text,
  facts: z.record(z.string().trim().min(1, 'expected a non-empty fact key'), citizenFact).default({}),
  opening: text,
  reference: referenceSchema,
  maxTurns: z.number().int().min(1).max(20).default(6),
  critical: z.boolean().default(false),
});

export const bankFileSchema = z.strictObject({
  matter: matterSchema,
  aspects: z.array(aspectSchema).min(1, 'expected at least one aspect'),
  questions: z.array(questionSchema).default([]),
  scenarios: z.array(scenarioSchema).default([]),
  superseded: z.array(supersededSchema).default([]),
});

export type BankFile = z.output<typeof bankFileSchema>;
