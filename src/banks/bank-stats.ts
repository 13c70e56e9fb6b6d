/** Coverage of loaded banks per matter, aspect and variant style, and what falls short of the targets. */
import { OUT_OF_SCOPE, type BankSet, type Question, type SourcePos } from '../domain/types.js';

/** The coverage a matter's bank should reach; below it, `bank stats` flags it. */
interface StatsThresholds {
  /** @default 25 */
  questionsPerMatter: number;
  /** @default 8 */
  aspectsPerMatter: number;
  /** Variants per single-turn question. @default 3 */
  variantsPerQuestion: number;
  /** Multi-turn scripts with a turn marked `expect: clarify`. @default 2 */
  clarifyScriptsPerMatter: number;
}

const DEFAULT_THRESHOLDS: StatsThresholds = {
  questionsPerMatter: 25,
  aspectsPerMatter: 8,
  variantsPerQuestion: 3,
  clarifyScriptsPerMatter: 2,
};

/** Counts over a set of questions. */
export interface Coverage {
  /** Every question entry, multi-turn scripts included. */
  questions: number;
  /** Multi-turn scripts. */
  scripts: number;
  /** Scripts with a turn where the bot should ask which matter is meant. */
  clarifyScripts: number;
  critical: number;
  facts: number;
  keyPoints: number;
  /** Variants by style. */
  variants: Record<string, number>;
}

interface AspectStats extends Coverage {
  id: string;
  name: string;
}

interface MatterStats extends Coverage {
  id: string;
  name: string;
  aspects: AspectStats[];
}

type StatsFlagKind = 'few-questions' | 'few-aspects' | 'few-variants' | 'few-clarify-scripts' | 'empty-aspect';

/** Something below a threshold, with where to fix it. */
interface StatsFlag {
  kind: StatsFlagKind;
  matter: string;
  aspect?: string;
  question?: string;
  /** How many there are, and how many are wanted. */
  count: number;
  wanted: number;
  pos?: SourcePos;
  message: string;
}

export interface BankStats {
  thresholds: StatsThresholds;
  totals: Coverage & { matters: number; aspects: number };
  matters: MatterStats[];
  flags: StatsFlag[];
}

/**
 * Coverage of the banks and the flags against the thresholds. The out-of-scope questions are a
 * category, not a matter: they are counted, and flagged only for variants.
 */
export function bankStats(banks: BankSet, thresholds: StatsThresholds = DEFAULT_THRESHOLDS): BankStats {
  const flags: StatsFlag[] = [];
  const matters = banks.matters.map((m): MatterStats => {
    const questions = banks.questions.filter((q) => q.matterId === m.id);
    const aspects = banks.intents
      .filter((i) => i.matterId === m.id)
      .map((i): AspectStats => ({ id: i.aspectId, name: i.name, ...coverage(questions.filter((q) => q.aspectId === i.aspectId)) }));
    const stats: MatterStats = { id: m.id, name: m.name, ...coverage(questions), aspects };
    const isMatter = m.id !== OUT_OF_SCOPE;
    const flag = (kind: StatsFlagKind, count: number, wanted: number, message: string) =>
      flags.push({ kind, matter: m.id, count, wanted, message });
    if (isMatter && stats.questions < thresholds.questionsPerMatter) {
      flag('few-questions', stats.questions, thresholds.questionsPerMatter, `${stats.questions} questions; wanted ≥ ${thresholds.questionsPerMatter}`);
    }
    if (isMatter && aspects.length < thresholds.aspectsPerMatter) {
      flag('few-aspects', aspects.length, thresholds.aspectsPerMatter, `${aspects.length} aspects; wanted ≥ ${thresholds.aspectsPerMatter}`);
    }
    if (isMatter && stats.clarifyScripts < thresholds.clarifyScriptsPerMatter) {
      flag(
        'few-clarify-scripts',
        stats.clarifyScripts,
        thresholds.clarifyScriptsPerMatter,
        `${stats.clarifyScripts} clarification scripts (turns with expect: clarify); wanted ≥ ${thresholds.clarifyScriptsPerMatter}`,
      );
    }
    for (const a of aspects) {
      if (a.questions === 0) flags.push({ kind: 'empty-aspect', matter: m.id, aspect: a.id, count: 0, wanted: 1, message: `aspect ${a.id} (${a.name}) has no questions` });
    }
    for (const q of questions) {
      if (q.turns || q.variants.length >= thresholds.variantsPerQuestion) continue;
      flags.push({
        kind: 'few-variants',
        matter: m.id,
        aspect: q.aspectId,
        question: q.id,
        count: q.variants.length,
        wanted: thresholds.variantsPerQuestion,
        pos: q.pos,
        message: `${q.id}: ${q.variants.length} variants; wanted ≥ ${thresholds.variantsPerQuestion}`,
      });
    }
    return stats;
  });
  return {
    thresholds,
    totals: { matters: matters.length, aspects: banks.intents.length, ...coverage(banks.questions) },
    matters,
    flags,
  };
}

function coverage(questions: readonly Question[]): Coverage {
  const variants: Record<string, number> = {};
  for (const q of questions) for (const v of q.variants) variants[v.style] = (variants[v.style] ?? 0) + 1;
  return {
    questions: questions.length,
    scripts: questions.filter((q) => q.turns).length,
    clarifyScripts: questions.filter((q) => q.turns?.some((t) => t.expect === 'clarify')).length,
    critical: questions.filter((q) => q.critical).length,
    facts: questions.reduce((n, q) => n + q.reference.facts.length, 0),
    keyPoints: questions.reduce((n, q) => n + q.reference.keyPoints.length, 0),
    variants,
  };
}
