import { Box, Text } from 'ink';
import type { JudgedVerdict, ReviewItem, Store } from '../../domain/types.js';
import { recordReview, type ReviewDecision } from '../../judge/review-decision.js';
import { Hint } from '../chrome.js';
import { VERDICT_COLORS } from '../colors.js';
import { fit, oneLine, windowStart, wrap } from '../text.js';
import { latestValue, useAsync } from '../use-async.js';
import { useReview } from './use-review.js';
import { itemKey, openItems, useReviewState, type ReviewState } from './use-review-state.js';

interface ReviewProps {
  readonly store: Store;
  /** null: the newest run. */
  readonly runId: string | null;
  readonly reviewer: string;
  readonly width: number;
  readonly height: number;
  readonly isActive: boolean;
}

/** The judges' disagreements of a run, decided one by one as `govbench review` decides them. */
export function Review({ store, runId, reviewer, width, height, isActive }: ReviewProps) {
  const [state, dispatch, getState] = useReviewState();
  const loaded = useAsync(() => {
    const run = store.getRun(runId ?? 'latest');
    return { run, queue: store.reviewQueue(run.id) };
  }, [store, runId, state.version]);
  // Read again after each decision; meanwhile the queue as last read, less what was decided, stays on screen.
  const read = latestValue(loaded)?.queue ?? [];
  const queue = openItems(read, state);
  const cursor = Math.min(state.cursor, Math.max(0, queue.length - 1));
  const listRows = Math.max(3, Math.floor((height - 4) / 3));
  useReview({
    getState,
    dispatch,
    queue: read,
    page: listRows,
    isActive,
    onDecide: (item: ReviewItem, decision: ReviewDecision, left: number) => {
      try {
        const v = recordReview(store, item, decision, reviewer);
        dispatch({
          type: 'saved',
          key: itemKey(item),
          text: `recorded: case ${item.caseId} turn ${item.turn + 1} is ${v.verdict} (intent ${v.intentRecognized ? 'recognized' : 'missed'}); ${left} left`,
        });
      } catch (err) {
        dispatch({ type: 'failed', text: (err as Error).message });
      }
    },
  });

  if (loaded.status === 'failed') return <Text color="red">{oneLine(loaded.error.message)}</Text>;
  const shown = latestValue(loaded);
  if (!shown) return <Text>Reading the review queue…</Text>;
  const { run } = shown;
  const item = queue[cursor];
  const first = windowStart(queue.length, cursor, listRows);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        run {run.id}
        {run.label ? ` (${oneLine(run.label)})` : ''} · {queue.length} to review · reviewer {oneLine(reviewer) || '—'}
      </Text>
      {queue.length === 0 ? (
        <Text dimColor>
          {run.judge === 'both'
            ? 'Nothing to review: the judges are sure and agree, or every case is decided.'
            : `Nothing to review: ${run.judge} was sure of every answer of run ${run.id}, or every case is decided.`}
        </Text>
      ) : (
        <Box flexDirection="column" height={listRows}>
          {queue.slice(first, first + listRows).map((q, i) => (
            <Text key={`${q.caseId}.${q.turn}`} inverse={first + i === cursor} wrap="truncate">
              {fit(`case ${q.caseId}${q.turn > 0 ? `/${q.turn + 1}` : ''}`, 10)} {fit(oneLine(q.targetId), 16)} {fit(oneLine(q.questionId), 18)} matcher{' '}
              <Text color={VERDICT_COLORS[q.matcher.verdict]}>{fit(q.matcher.verdict, 9)}</Text>{' '}
              {q.llm ? (
                <>
                  llm <Text color={VERDICT_COLORS[q.llm.verdict]}>{q.llm.verdict}</Text>
                </>
              ) : (
                <Text dimColor>unsure</Text>
              )}
            </Text>
          ))}
        </Box>
      )}
      {item && <ItemDetail item={item} width={width} height={height - listRows - 4} />}
      {state.setting && <SetLine state={state} />}
      {state.message && (
        <Text color={state.message.error ? 'red' : 'green'} wrap="truncate">
          {oneLine(state.message.text)}
        </Text>
      )}
      <Hint>{state.setting ? '←→ verdict · Space intent · Enter save · Esc cancel' : '↑↓ move · m accept matcher · l accept LLM · v set a verdict'}</Hint>
    </Box>
  );
}

function SetLine({ state }: { readonly state: ReviewState }) {
  const s = state.setting!;
  return (
    <Text wrap="truncate">
      set verdict <Text color={VERDICT_COLORS[s.verdict]} bold>‹ {s.verdict} ›</Text> · intent <Text bold>[{s.intentRecognized ? 'recognized' : 'missed'}]</Text>
    </Text>
  );
}

function verdictLine(v: JudgedVerdict): string {
  return `${v.verdict} · intent ${v.intentRecognized ? 'recognized' : 'missed'} · accuracy ${v.accuracy.toFixed(2)} · key points ${v.keyPointsHit.length} — ${v.rationale}`;
}

/** What was asked, the answer, and both verdicts, in the lines there are. */
function ItemDetail({ item, width, height }: { readonly item: ReviewItem; readonly width: number; readonly height: number }) {
  const asked = wrap(item.user, width - 8).slice(0, 2);
  const judges = [
    { name: item.matcher.judge, v: item.matcher },
    ...(item.llm ? [{ name: 'llm', v: item.llm }] : []),
  ];
  const answerRoom = Math.max(1, height - asked.length - 2 * 2 - 1);
  const answer = wrap(item.reply, width - 8);
  return (
    <Box flexDirection="column" height={Math.max(3, height)}>
      <Text dimColor wrap="truncate">
        {oneLine(item.targetId)} · {oneLine(item.questionId)} · {oneLine(item.style)}
      </Text>
      {asked.map((l, i) => (
        <Text key={`q${i}`} color="cyan" wrap="truncate">
          {i === 0 ? '问      ' : '        '}
          {l}
        </Text>
      ))}
      {answer.slice(0, answerRoom).map((l, i) => (
        <Text key={`a${i}`} wrap="truncate">
          {i === 0 ? '答      ' : '        '}
          {i === answerRoom - 1 && answer.length > answerRoom ? `${l}…` : l}
        </Text>
      ))}
      {judges.map(({ name, v }) =>
        wrap(verdictLine(v), width - 8)
          .slice(0, 2)
          .map((l, i) => (
            <Text key={`${name}${i}`} wrap="truncate" {...(i === 0 && { color: VERDICT_COLORS[v.verdict] })}>
              {i === 0 ? fit(name, 8) : '        '}
              {l}
            </Text>
          )),
      )}
    </Box>
  );
}
