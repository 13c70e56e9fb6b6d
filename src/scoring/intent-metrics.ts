import { NO_INTENT, type IntentMetrics } from './model.js';

/**
 * Intent recognition as classification over every judged case of a run: per intent, precision (of
 * the answers that addressed it, how many were asked it), recall (of the cases that asked it, how
 * many were answered on it) and F1; macro-F1 is the mean of the per-intent F1s — not the F1 of mean
 * precision and recall. Answers that addressed no intent count against recall only.
 *
 * @param confusions per target: asked intent → addressed intent → cases
 */
export function intentMetrics(confusions: Iterable<Record<string, Record<string, number>>>): IntentMetrics {
  const asked = new Map<string, number>();
  const predicted = new Map<string, number>();
  const agreed = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const matrix of confusions) {
    for (const [a, row] of Object.entries(matrix)) {
      for (const [p, n] of Object.entries(row)) {
        add(asked, a, n);
        if (p !== NO_INTENT) add(predicted, p, n);
        if (p === a) add(agreed, a, n);
      }
    }
  }
  const intents = [...new Set([...asked.keys(), ...predicted.keys()])].sort();
  const perIntent = intents.map((intent) => {
    const tp = agreed.get(intent) ?? 0;
    const support = asked.get(intent) ?? 0;
    const addressed = predicted.get(intent) ?? 0;
    const precision = addressed === 0 ? 0 : tp / addressed;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { intent, support, addressed, precision, recall, f1 };
  });
  const macroF1 = perIntent.length === 0 ? null : perIntent.reduce((s, m) => s + m.f1, 0) / perIntent.length;
  return { perIntent, macroF1 };
}
