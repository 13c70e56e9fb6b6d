import { z } from 'zod';
import { patternSchema } from '../util/pattern.js';

/** `match` and `contradictions` entries: a phrase or `/pattern/flags`; a bare YAML number is its text. */
const pattern = patternSchema.refine((v) => v.trim().length > 0, 'expected a non-empty phrase or /pattern/flags');

const id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a kebab-case id (a-z, 0-9, -)');
const text = z.string().trim().min(1, 'expected non-empty text');

export const sourceSchema = z.strictObject({
  title: text,
  issuer: z.string().optional(),
  year: z.number().int().min(1949).max(2100).optional(),
  article: z.string().optional(),
  url: z.string().optional(),
});

export const matterSchema = z.strictObject({
  id,
  name: text,
  nameEn: z.string().optional(),
  aliases: z.array(text).default([]),
  department: z.string().optional(),
  sources: z.array(sourceSchema).default([]),
});

export const aspectSchema = z.strictObject({ id, name: text });

export const keyPointSchema = z.strictObject({
  id: z.string().min(1),
  text: text,
  match: z.array(pattern).min(1, 'expected at least one phrase in match'),
});

export const factSchema = z.strictObject({
  id: z.string().min(1),
  text: text,
  value: z.number(),
  unit: text,
  context: z.array(pattern).default([]),
});

export const referenceSchema = z
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

export const variantSchema = z.strictObject({ style: text, text: text });

export const scriptTurnSchema = z.strictObject({
  user: text,
  expect: z.literal('clarify').optional(),
});

export const questionSchema = z
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

export const bankFileSchema = z.strictObject({
  matter: matterSchema,
  aspects: z.array(aspectSchema).min(1, 'expected at least one aspect'),
  questions: z.array(questionSchema).default([]),
});

export type BankFile = z.output<typeof bankFileSchema>;
