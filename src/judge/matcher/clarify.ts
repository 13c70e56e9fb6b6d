/** Clarifying questions: the bot asks which matter is meant (SPEC §4, turns marked `expect: clarify`). */
import type { MatcherPhrases } from './phrases.js';
import { matchForms } from './text-pattern.js';

const QUESTION_SPLIT = /(?<=[?？])|[。！!；;\n]+/;
const TRAILING = /[\s"'”’」』)）~～…。.!！🙂😊]+$/u;

/** True when the reply asks the user a narrowing question (请问您要办理的是哪一种？). */
export function isClarifyingQuestion(clean: string, phrases: MatcherPhrases): boolean {
  for (const raw of clean.split(QUESTION_SPLIT)) {
    const sentence = raw.replace(TRAILING, '');
    if (sentence.length === 0) continue;
    if (!phrases.questionEnd.some((e) => sentence.endsWith(e))) continue;
    if (phrases.clarifyCues.test(matchForms(sentence))) return true;
  }
  return false;
}
