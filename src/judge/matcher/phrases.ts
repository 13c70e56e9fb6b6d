/**
 * The matcher's phrase lists (judges/matcher-phrases.yaml): data kept out of code, validated once,
 * hashed into the judge version.
 */
import { shippedFile } from '../../util/shipped-file.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { normalize } from '../../text/normalize.js';
import { patternSchema } from '../../util/pattern.js';
import { parseYamlText, validateYaml } from '../../util/yaml-file.js';
import { UserError } from '../../util/errors.js';
import { compilePatternSet, type PatternSet } from './text-pattern.js';

/** Where the phrase file lives, relative to the project root. */
const PHRASES_FILE = 'judges/matcher-phrases.yaml';

const list = z.array(patternSchema).min(1, 'expected at least one phrase');

const phrasesSchema = z.strictObject({
  errorPage: list,
  notUnderstood: list,
  redirect: list,
  cannotHandle: list,
  boilerplate: list,
  stopwords: z.array(z.union([z.string(), z.number()]).transform(String)),
  filler: z.array(z.union([z.string(), z.number()]).transform(String)),
  clarify: z.strictObject({ cues: list, questionEnd: z.array(z.string().min(1)).min(1) }),
  negation: z.strictObject({
    before: z.array(z.string().min(1)).min(1),
    after: z.array(z.string().min(1)),
    exceptions: z.array(z.string().min(1)),
    window: z.number().int().min(1).max(40),
    shortWindow: z.number().int().min(1).max(40),
    correction: z.array(z.string().min(1)).default([]),
  }),
  injection: list,
  claims: z.strictObject({
    denial: z.array(z.string().min(1)).min(1),
    denialAfter: z.array(z.string().min(1)),
    hedge: list,
    ignorance: list,
    weakHedge: list,
    suggestion: list,
    embeddedQuestion: z.array(z.string().min(1)).min(1),
    past: list,
    topicFrame: z.strictObject({ start: z.array(z.string().min(1)).min(1), end: z.array(z.string().min(1)).min(1) }),
  }),
});

/** The phrase file as written. */
type PhrasesFile = z.output<typeof phrasesSchema>;

/** The phrase lists compiled for matching. */
export interface MatcherPhrases {
  errorPage: PatternSet;
  notUnderstood: PatternSet;
  redirect: PatternSet;
  cannotHandle: PatternSet;
  boilerplate: PatternSet;
  /** Every phrase that carries no content, for removal before content is measured. */
  noContent: PatternSet;
  /** Function words: not intent features. */
  stopwords: ReadonlySet<string>;
  /** Stopwords and words without substance: not content. */
  filler: ReadonlySet<string>;
  clarifyCues: PatternSet;
  questionEnd: readonly string[];
  negation: {
    /** Normalised, longest first. */
    before: readonly string[];
    after: readonly string[];
    exceptions: readonly string[];
    window: number;
    shortWindow: number;
    /** Normalised: a value right after one of these is a claim being corrected, not stated (不是30日，而是20日). */
    correction: readonly string[];
  };
  injection: PatternSet;
  claims: {
    /** Normalised, longest first. */
    denial: readonly string[];
    denialAfter: readonly string[];
    /** Also among `cues`; the fallback signals test these two on their own. */
    ignorance: PatternSet;
    suggestion: PatternSet;
    /** Normalised. */
    embeddedQuestion: readonly string[];
    /** A sentence holding one reports an old rule as past or repealed. */
    past: PatternSet;
    topicFrame: { start: readonly string[]; end: readonly string[] };
    /**
     * Every cue (hedges, suggestions, ignorance, 可能, denials, embedded questions, topic frames) in one
     * set, scanned once per answer; `cueKinds[i]` says what pattern i is a cue of
     * (a phrase may be a cue of several kinds: then it appears once per kind).
     */
    cues: PatternSet;
    cueKinds: Uint8Array;
  };
  /** sha256 of the file content. */
  hash: string;
}

/** The phrase file shipped with govbench, found by walking up from this module to the project root. */
function defaultPhrasesPath(): string {
  return shippedFile(import.meta.url, PHRASES_FILE, 'pass phrasesFile to createMatcherJudge');
}

const cache = new Map<string, MatcherPhrases>();

/** Loads, validates and compiles a phrase file; each file is read once per process. */
export function loadMatcherPhrases(file: string = defaultPhrasesPath()): MatcherPhrases {
  const cached = cache.get(file);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read the matcher phrase file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const phrases = compilePhrases(validateYaml(parseYamlText(text, file), phrasesSchema), sha256(text));
  cache.set(file, phrases);
  return phrases;
}

function compilePhrases(file: PhrasesFile, hash: string): MatcherPhrases {
  const byLength = (xs: readonly string[]) => [...new Set(xs.map((x) => normalize(x)).filter(Boolean))].sort((a, b) => b.length - a.length);
  return {
    errorPage: compilePatternSet(file.errorPage),
    notUnderstood: compilePatternSet(file.notUnderstood),
    redirect: compilePatternSet(file.redirect),
    cannotHandle: compilePatternSet(file.cannotHandle),
    boilerplate: compilePatternSet(file.boilerplate),
    noContent: compilePatternSet([
      ...file.errorPage,
      ...file.notUnderstood,
      ...file.redirect,
      ...file.cannotHandle,
      ...file.boilerplate,
    ]),
    stopwords: new Set(file.stopwords.map((w) => normalize(w))),
    filler: new Set([...file.stopwords, ...file.filler].map((w) => normalize(w))),
    clarifyCues: compilePatternSet(file.clarify.cues),
    questionEnd: file.clarify.questionEnd.map((e) => e.normalize('NFKC')),
    negation: {
      before: byLength(file.negation.before),
      after: byLength(file.negation.after),
      exceptions: byLength(file.negation.exceptions),
      window: file.negation.window,
      shortWindow: file.negation.shortWindow,
      correction: byLength(file.negation.correction),
    },
    injection: compilePatternSet(file.injection),
    claims: {
      denial: byLength(file.claims.denial),
      denialAfter: byLength(file.claims.denialAfter),
      ignorance: compilePatternSet(file.claims.ignorance),
      suggestion: compilePatternSet(file.claims.suggestion),
      embeddedQuestion: byLength(file.claims.embeddedQuestion),
      past: compilePatternSet(file.claims.past),
      topicFrame: { start: byLength(file.claims.topicFrame.start), end: byLength(file.claims.topicFrame.end) },
      ...compileCues([
        [CUE.hedge, file.claims.hedge],
        [CUE.suggestion, file.claims.suggestion],
        [CUE.ignorance, file.claims.ignorance],
        [CUE.weakHedge, file.claims.weakHedge],
        [CUE.before, [...file.claims.denial, ...file.claims.embeddedQuestion]],
        [CUE.after, file.claims.denialAfter],
        [CUE.frame, file.claims.topicFrame.start],
      ]),
    },
    hash,
  };
}

/** What a claim cue is a cue of (`MatcherPhrases['claims'].cueKinds`). */
export const CUE = { hedge: 1, suggestion: 2, ignorance: 3, weakHedge: 4, before: 5, after: 6, frame: 7 } as const;

function compileCues(lists: ReadonlyArray<readonly [number, readonly string[]]>): { cues: PatternSet; cueKinds: Uint8Array } {
  return {
    cues: compilePatternSet(lists.flatMap(([, phrases]) => phrases)),
    cueKinds: Uint8Array.from(lists.flatMap(([kind, phrases]) => phrases.map(() => kind))),
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
