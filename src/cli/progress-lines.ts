import { isOurFailure } from '../domain/types.js';
import type { RunEvent } from '../runner/events.js';
import { oneLine } from '../text/sanitize.js';

/**
 * Plain progress for logs and CI: a line when the run starts, one per 10% of the plan, one per target
 * as it completes, and one at the end. Never redraws, so it reads well in any log.
 */
export function createProgressLines(write: (line: string) => void, now: () => number = () => performance.now()) {
  let total = 0;
  let finished = 0;
  let errors = 0;
  let started = 0;
  let nextMark = 0;
  const left = new Map<string, number>();
  const names = new Map<string, string>();
  return (e: RunEvent): void => {
    switch (e.type) {
      case 'run-started': {
        started = now();
        for (const t of e.targets) {
          total += t.planned;
          finished += t.done;
          left.set(t.id, t.planned - t.done);
          names.set(t.id, oneLine(t.name));
        }
        nextMark = Math.floor((finished / Math.max(total, 1)) * 10 + 1) / 10;
        write(
          `run ${e.runId}${e.resumed ? ' (resumed)' : ''}: ${e.targets.length} targets, ${total} cases` +
            (finished > 0 ? `, ${finished} already done` : ''),
        );
        break;
      }
      case 'case-finished': {
        finished += 1;
        // The city's failures only: a bug of ours ends the run and is reported on its own.
        if (!e.available && !isOurFailure(e.errorKind)) errors += 1;
        const remaining = (left.get(e.targetId) ?? 1) - 1;
        left.set(e.targetId, remaining);
        if (remaining === 0) write(`  done ${e.targetId} (${names.get(e.targetId) ?? ''})`);
        if (finished / total >= nextMark && finished < total) {
          const secs = (now() - started) / 1000;
          write(`[${pct(finished, total)}] ${finished}/${total} cases · ${(finished / Math.max(secs, 0.001)).toFixed(0)}/s · ${errors} technical failures`);
          nextMark = Math.floor((finished / total) * 10 + 1) / 10;
        }
        break;
      }
      case 'run-finished':
        write(`run ${e.runId} ${e.status} in ${(e.durationMs / 1000).toFixed(1)} s: ${finished}/${total} cases, ${errors} technical failures`);
        break;
    }
  };
}

function pct(n: number, total: number): string {
  return `${Math.floor((n / Math.max(total, 1)) * 100)}%`.padStart(4);
}
