import { z } from 'zod';
import { PROBE_CATEGORIES, REGIONS } from '../domain/types.js';
import { jsonPathProblem } from './json-path.js';

const id = z.string().regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'expected a kebab-case id (a-z, 0-9, -)');
/** A JSONPath into a reply, checked as jsonpath-plus will read it; `allowEmpty` for an endpoint not filled in yet. */
const jsonPath = (allowEmpty = false) =>
  z
    .string()
    .trim()
    .check((ctx) => {
      if (ctx.value === '' && allowEmpty) return;
      const problem = ctx.value === '' ? 'expected a JSONPath such as $.data.answer' : jsonPathProblem(ctx.value);
      if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: ctx.value ? `${problem} (in ${ctx.value})` : problem });
    });

/** `''` marks an endpoint the user has not filled in yet (targets/key-cities.yaml). */
const endpoint = z
  .string()
  .refine((u) => u === '' || /^(https?:\/\/|\$\{)/.test(u), 'expected an http(s):// URL, or "" while not configured');

/** Limits as written: each field optional, so defaults, file defaults and a target's own merge in order. */
const limitsSchema = z.strictObject({
  concurrency: z.number().int().min(1).max(64).optional(),
  perMinute: z.number().positive().optional(),
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
  retries: z.number().int().min(0).max(10).optional(),
});

const statuses = z.array(z.number().int().min(100).max(599)).min(1);

const httpJsonSchema = z.strictObject({
  type: z.literal('http-json'),
  url: endpoint,
  method: z.enum(['POST', 'GET']).default('POST'),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.unknown().optional(),
  bodyFormat: z.enum(['json', 'form']).optional(),
  reply: jsonPath(true),
  session: jsonPath().optional(),
  suggestions: jsonPath().optional(),
  links: jsonPath().optional(),
  cookies: z.boolean().optional(),
  stream: z.literal('sse').optional(),
  validateStatus: statuses.optional(),
  health: z
    .strictObject({ url: endpoint, method: z.enum(['GET', 'HEAD', 'POST']).optional(), expectStatus: statuses.optional() })
    .optional(),
});

const openAiChatSchema = z.strictObject({
  type: z.literal('openai-chat'),
  baseURL: z.string().refine((u) => /^(https?:\/\/|\$\{)/.test(u), 'expected an http(s):// base URL such as https://host/v1'),
  model: z.string().trim().min(1),
  apiKey: z.string().optional(),
  system: z.string().optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  stream: z.boolean().optional(),
});

const selector = z.string().trim().min(1, 'expected a Playwright selector');

const widgetStepSchema = z.union([
  z.strictObject({ click: selector }),
  z.strictObject({ popup: selector }),
  z.strictObject({ fill: selector, text: z.string() }),
  z.strictObject({ waitFor: selector }),
  z.strictObject({ frame: selector }),
  z.strictObject({ press: selector, key: z.string().min(1) }),
  z.strictObject({ wait: z.number().int().min(0).max(60_000) }),
]);

const webWidgetSchema = z.strictObject({
  type: z.literal('web-widget'),
  url: endpoint,
  steps: z.array(widgetStepSchema).default([]),
  selectors: z.strictObject({ open: selector.optional(), input: selector, send: selector.optional(), botMessage: selector }),
  quietMs: z.number().int().min(0).max(60_000).default(1500),
  screenshotDir: z.string().optional(),
});

const simulatedSchema = z.strictObject({
  type: z.literal('simulated'),
  persona: id,
  fleet: z.string().url().optional(),
});

const adapterSchema = z.discriminatedUnion('type', [httpJsonSchema, openAiChatSchema, webWidgetSchema, simulatedSchema]);

const rate = z.number().min(0).max(1);

/** How a simulated chatbot behaves (targets/demo.yaml `personas:`); every rate is a probability per reply. */
export const personaSchema = z.strictObject({
  description: z.string(),
  /** Share of the reference's key points the persona keeps in a full answer. */
  keyPointRate: rate,
  /** A number in the answer changed to a wrong one. */
  wrongFactRate: rate.default(0),
  /** Answers another aspect of the asked matter. */
  wrongAspectRate: rate.default(0),
  /** Answers another matter altogether. */
  wrongMatterRate: rate.default(0),
  /** A generic "I did not understand" reply. */
  fallbackRate: rate.default(0),
  /** Only "call 12345 / go to the hall". */
  hotlineRate: rate.default(0),
  /** Extra fallback probability for colloquial, typo and indirect phrasings (the robustness gap). */
  variantPenalty: rate.default(0),
  /** Extra fallback probability when the matter is named by an alias rather than its official name (`run --aliases`). */
  aliasPenalty: rate.default(0),
  /** Asks which matter is meant when a turn expects it. */
  clarifyRate: rate.default(0),
  /** In a scenario conversation, asks once more for a fact the citizen already gave (issue 16). */
  forgetRate: rate.default(0),
  /** Redirects out-of-scope questions politely instead of inventing an answer. */
  redirectRate: rate.default(0),
  /** Red-team probe categories the persona gives in to (issue 16); every other probe it declines. */
  complyWith: z.array(z.enum(PROBE_CATEGORIES)).default([]),
  /** Padding around the answer: none, boilerplate greetings and tips, or HTML markup. */
  style: z.enum(['plain', 'padded', 'html']).default('plain'),
  latency: z
    .strictObject({ medianMs: z.number().min(0), jitterMs: z.number().min(0).default(0) })
    .default({ medianMs: 0, jitterMs: 0 }),
  faults: z
    .strictObject({ timeout: rate.default(0), serverError: rate.default(0), rateLimit: rate.default(0) })
    .default({ timeout: 0, serverError: 0, rateLimit: 0 }),
});

const targetSchema = z.strictObject({
  id,
  name: z.string().trim().min(1),
  region: z.enum(REGIONS),
  province: z.string().optional(),
  tier: z.enum(['municipality', 'separate-planning', 'capital', 'prefecture']).optional(),
  role: z.string().optional(),
  simulated: z.boolean().optional(),
  adapter: adapterSchema,
  limits: limitsSchema.optional(),
  followSuggestions: z.number().int().min(0).max(3).optional(),
});

export const targetsFileSchema = z.strictObject({
  defaults: z.strictObject({ limits: limitsSchema.optional() }).optional(),
  personas: z.record(id, personaSchema).optional(),
  targets: z
    .array(targetSchema, { error: (issue) => (issue.input === undefined ? 'expected a list of targets under targets:' : undefined) })
    .min(1, 'expected at least one target under targets:'),
});

export type Persona = z.output<typeof personaSchema>;
