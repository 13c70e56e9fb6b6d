/** Question banks as loaded (SPEC §2): matters, their intents, questions and references. */


/** The matter id that holds out-of-scope questions (SPEC §2); its questions merge across files. */
export const OUT_OF_SCOPE = 'out-of-scope';

/** Where a value was read from, for error messages and provenance. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** A national regulation or document that reference facts come from. */
interface Source {
  title: string;
  issuer?: string;
  year?: number;
  article?: string;
  /** When the text took effect (YYYY-MM-DD, YYYY-MM or YYYY). */
  effective?: string;
  /** When it was repealed or replaced. */
  repealed?: string;
}

/** A value an old rule stated; said with its unit in a sentence holding a context phrase, it is outdated. */
interface OldFact {
  text: string;
  value: number;
  unit: string;
  context: Pattern[];
}

/** A rule that no longer holds, and what it said (an answer repeating it is `incorrect`, outdated). */
export interface SupersededRule {
  id: string;
  /** The old rule as an answer might know it (title and article). */
  rule: string;
  repealed?: string;
  replacedBy?: string;
  /** Aspect ids it applies to; absent: every aspect of the matter. */
  aspects?: string[];
  facts: OldFact[];
  statements: Pattern[];
}

export interface Matter {
  id: string;
  name: string;
  nameEn?: string;
  aliases: string[];
  department?: string;
  sources: Source[];
  /** When a person last checked the bank against its sources. */
  reviewed?: string;
  superseded: SupersededRule[];
  /** Where the matter is defined (its first file, for out-of-scope). */
  pos?: SourcePos;
}

/** One intent inside a matter; its id is `<matter.id>/<aspect.id>`. */
export interface Intent {
  id: string;
  matterId: string;
  aspectId: string;
  name: string;
}

/** A matcher pattern: a plain phrase, or `/pattern/flags`. */
export type Pattern = string;

export interface KeyPoint {
  id: string;
  text: string;
  match: Pattern[];
}

/** A checkable value in a reference; another value stated with the same unit is an error. */
export interface Fact {
  id: string;
  text: string;
  value: number;
  /** As written in the bank; judges normalise it (天 = 日, 月 = 个月, 岁 = 周岁). */
  unit: string;
  /** Phrases that mark the sentence stating this fact; empty: anywhere. */
  context: string[];
  /** Other values the law allows (an extension, an exception), each lawful in its own context. */
  also: AlsoValue[];
}

interface AlsoValue {
  value: number;
  /** Phrases of the sentence in which the value is lawful; empty: wherever the fact applies. */
  context: Pattern[];
  /** Where the law says so. */
  source: string;
}

export interface Reference {
  answer: string;
  keyPoints: KeyPoint[];
  /** @default keyPoints.length */
  minKeyPoints: number;
  facts: Fact[];
  contradictions: Pattern[];
}

export interface Variant {
  style: string;
  text: string;
}

/** One user turn of a multi-turn script. */
interface ScriptTurn {
  user: string;
  /** `clarify`: the bot should ask which matter is meant before answering. */
  expect?: 'clarify';
}

export interface Question {
  id: string;
  matterId: string;
  aspectId: string;
  /** `<matterId>/<aspectId>` */
  intent: string;
  /** The canonical text; for a multi-turn script, the first user turn. */
  text: string;
  variants: Variant[];
  /** Present for multi-turn scripts; single questions have none. */
  turns?: ScriptTurn[];
  critical: boolean;
  reference: Reference;
  pos: SourcePos;
}

/**
 * A goal a simulated citizen pursues over a conversation (issue 16; the citizens are in `scenario.ts`).
 */
export interface Scenario {
  id: string;
  matterId: string;
  aspectId: string;
  /** `<matterId>/<aspectId>` */
  intent: string;
  /** Who the citizen is, in their words. */
  persona: string;
  /** What they want to find out; the simulator must never say it verbatim. */
  goal: string;
  /** What the citizen answers when the bot asks (key → value), in the bank's order. */
  facts: Record<string, string>;
  /** The citizen's first message. */
  opening: string;
  /** What the bot's turns must cover over the conversation, as a question's reference. */
  reference: Reference;
  /** Citizen turns at most, the opening included. */
  maxTurns: number;
  critical: boolean;
  pos: SourcePos;
}

/** Every loaded bank merged: what the runner plans over and the judges compare against. */
export interface BankSet {
  matters: Matter[];
  intents: Intent[];
  questions: Question[];
  /** Content hash of the loaded banks (sha256 hex over the normalised questions). */
  hash: string;
  files: string[];
  /** Conversations a simulated citizen plays (issue 16); none when the banks define none. */
  scenarios: Scenario[];
}

/** The variant index 0 is the question's own text; 1.. are its variants (1-based, as in calibration). */
export const CANONICAL_STYLE = 'canonical';
