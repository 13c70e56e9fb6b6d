/**
 * The structured output the LLM judge asks for. Reasons come before the verdict so the model argues
 * first and concludes last; the descriptions come from judges/llm/prompt.yaml.
 */
import { z } from 'zod';
import { VERDICTS } from '../../domain/types.js';

/** The output fields, in the order the model fills them. */
export const OUTPUT_FIELDS = [
  'intentReasoning',
  'predictedIntent',
  'intentRecognized',
  'clarifyingQuestion',
  'keyPointsFound',
  'factErrors',
  'contradictionsFound',
  'reasoning',
  'verdict',
] as const;
export type OutputField = (typeof OUTPUT_FIELDS)[number];

/** What `predictedIntent` holds when the answer addresses no loaded intent. */
export const NO_INTENT = 'none';

/** The output schema for a set of loaded intents: `predictedIntent` is one of their ids or "none". */
export function createOutputSchema(intentIds: readonly string[], describe: Readonly<Record<OutputField, string>>) {
  const ids = z.array(z.string());
  return z.object({
    intentReasoning: z.string().describe(describe.intentReasoning),
    predictedIntent: z.enum([...intentIds, NO_INTENT]).describe(describe.predictedIntent),
    intentRecognized: z.boolean().describe(describe.intentRecognized),
    clarifyingQuestion: z.boolean().describe(describe.clarifyingQuestion),
    keyPointsFound: ids.describe(describe.keyPointsFound),
    factErrors: ids.describe(describe.factErrors),
    contradictionsFound: ids.describe(describe.contradictionsFound),
    reasoning: z.string().describe(describe.reasoning),
    verdict: z.enum(VERDICTS).describe(describe.verdict),
  });
}

type OutputSchema = ReturnType<typeof createOutputSchema>;
/** One reply of the model, validated. */
export type JudgeOutput = z.output<OutputSchema>;
