import { parentPort, workerData } from 'node:worker_threads';
import { indexQuestions } from '../../banks/load-banks.js';
import type { Verdict } from '../../domain/types.js';
import { createMatcherJudge } from '../matcher/index.js';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.js';

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const setup = workerData as WorkerSetup;

try {
  const { banks } = setup;
  const judge = createMatcherJudge(banks, setup.phrasesFile ? { phrasesFile: setup.phrasesFile } : {});
  const questions = indexQuestions(banks);
  port.on('message', (m: ToWorker) => {
    const question = questions.get(m.questionId);
    if (!question) return post({ id: m.id, error: `question ${m.questionId} is not in the worker's banks` });
    try {
      post({ id: m.id, verdict: judge.judge({ question, turn: m.turn, answer: m.answer }) as Verdict });
    } catch (err) {
      const e = err as Error;
      post({ id: m.id, error: e.message, ...(e.stack !== undefined && { stack: e.stack }) });
    }
  });
  post({ type: 'ready', version: judge.version });
} catch (err) {
  post({ type: 'failed', message: (err as Error).message });
}
