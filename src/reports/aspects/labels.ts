import { EVALUATION_ASPECTS, type EvaluationAspect } from '../../domain/types.js';
import type { AspectsReport } from '../../scoring/aspects.js';
import { fmtScore } from '../format.js';

/** The evaluation's own names for its aspects, with English beside them. */
export const ASPECT_LABELS: Readonly<Record<EvaluationAspect, string>> = {
  serviceGuide: '服务指南 Service guide',
  technicalSupport: '技术支撑 Technical support',
  matterHandling: '事项办理 Matter handling',
  interactiveCommunication: '互动交流 Interactive communication',
};

/** The formulas the report was computed with, as lines every format prints. */
export function weightLines(r: AspectsReport): [label: string, text: string][] {
  const { weights, chatbotShare } = r.config.aspects;
  const g = r.config.grades;
  return [
    ['Overall', EVALUATION_ASPECTS.map((a) => `${weights[a]}·${ASPECT_LABELS[a]}`).join(' + ')],
    [
      'Technical support',
      `${chatbotShare}·chatbot + ${Math.round((1 - chatbotShare) * 1e6) / 1e6}·technicalSupportOther from the sheet; the chatbot score alone when the sheet has no technicalSupportOther column. Chatbot = govbench's measured intelligent customer-service score (technical support of the run).`,
    ],
    ['Grades', `excellent ≥ ${g.excellent}, good ≥ ${g.good}, average ≥ ${g.average}, poor below (on the overall score)`],
    ['Missing', 'a city the run did not measure has technical support missing, not 0, and no overall score, grade or rank'],
  ];
}

/** `服务指南 Service guide (61.0)`, or the missing mark. */
export function weakestText(aspect: EvaluationAspect | null, score: number | null): string {
  return aspect === null ? fmtScore(null) : `${ASPECT_LABELS[aspect]} (${fmtScore(score)})`;
}

/** `1 city`, `4 cities`. */
export const cityCount = (n: number): string => `${n} ${n === 1 ? 'city' : 'cities'}`;
