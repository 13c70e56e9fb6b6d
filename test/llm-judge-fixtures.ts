/** A bank for a matter govbench does not ship, and builders for the LLM judge's tests. */
import { loadBanks } from '../src/banks/load-banks.js';
import type { BankSet, JudgeInput, Question } from '../src/domain/types.js';
import type { JudgeOutput } from '../src/judge/llm/schema.js';
import { tempDir } from './helpers.js';

const DOG_BANK = `
matter:
  id: dog-registration
  name: 养犬登记
  aliases: [狗证, 犬证]
aspects:
  - { id: materials, name: 申请材料 }
  - { id: time-limit, name: 办理时限 }
questions:
  - id: dog-materials-01
    aspect: materials
    text: 办理养犬登记需要什么材料？
    variants:
      - { style: colloquial, text: 养狗要办证吗，带啥 }
    reference:
      answer: 需提交养犬登记申请表、犬只免疫证明和住所证明，10个工作日内办结。
      keyPoints:
        - { id: form, text: 养犬登记申请表, match: [申请表] }
        - { id: vaccine, text: 犬只免疫证明, match: [免疫证明] }
        - { id: housing, text: 住所证明, match: [住所证明, 房产证明] }
      minKeyPoints: 2
      facts:
        - { id: days, text: 10个工作日内办结, value: 10, unit: 工作日 }
      contradictions: [无需登记, "/不用(办|登记)/"]
  - id: dog-time-01
    aspect: time-limit
    text: 养犬登记多久能办好？
    reference:
      answer: 10个工作日内办结。
      keyPoints:
        - { id: days, text: 10个工作日, match: [10个工作日] }
  - id: dog-clarify-01
    aspect: materials
    turns:
      - { user: 我想办个证, expect: clarify }
      - { user: 养狗用的那个 }
    reference:
      answer: 需提交养犬登记申请表和犬只免疫证明。
      keyPoints:
        - { id: form, text: 养犬登记申请表, match: [申请表] }
        - { id: vaccine, text: 犬只免疫证明, match: [免疫证明] }
`;

const OOS_BANK = `
matter:
  id: out-of-scope
  name: 超出服务范围
aspects:
  - { id: chit-chat, name: 闲聊 }
questions:
  - id: oos-weather-01
    aspect: chit-chat
    text: 明天会下雨吗？
    reference:
      answer: 抱歉，我只能解答政务服务问题，天气请查询气象部门。
      keyPoints:
        - { id: decline, text: 说明无法回答, match: [只能解答, 无法回答] }
`;

export function loadTestBanks(): BankSet {
  using dir = tempDir({ 'dog.yaml': DOG_BANK, 'oos.yaml': OOS_BANK });
  return loadBanks([dir.dir]);
}

export function questionOf(banks: BankSet, id: string): Question {
  const q = banks.questions.find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id} in the test banks`);
  return q;
}

export function inputFor(banks: BankSet, questionId: string, answer: string, turn = 0): JudgeInput {
  return { question: questionOf(banks, questionId), turn, answer };
}

/** A well-formed model reply; tests override the fields they are about. */
export function modelOutput(overrides: Partial<JudgeOutput> = {}): JudgeOutput {
  return {
    intentReasoning: 'The answer lists materials for dog registration.',
    predictedIntent: 'dog-registration/materials',
    intentRecognized: true,
    clarifyingQuestion: false,
    keyPointsFound: ['form', 'vaccine'],
    factErrors: [],
    contradictionsFound: [],
    reasoning: 'It conveys the form and the vaccination certificate.',
    verdict: 'correct',
    ...overrides,
  };
}
