import { describe, expect, it } from 'vitest';
import type { Adapter } from '../src/domain/types.js';
import { GREETING, reply, useWidgetHarness } from './fixtures/widget/harness.js';

// The widget is deep-chat from npm, answered by the page's own bot (test/fixtures/widget/bot.js).
const { site, widget, failure, expectScreenshot } = useWidgetHarness();

describe('web-widget adapter on the deep-chat widget', () => {
  let main: Adapter;
  const adapter = (): Adapter => {
    // The first beacon goes to another site (a *.localhost name that Chromium sends to this very
    // server), the second to the page's own origin: only the second may arrive.
    const beacons = [`http://beacon.localhost:${new URL(site().url).port}/beacon`, `${site().url}/beacon`];
    main ??= widget(`/chat.html?${beacons.map((b) => `beacon=${encodeURIComponent(b)}`).join('&')}`);
    return main;
  };

  it('skips the greeting, waits for streamed replies to finish, keeps the session across turns and not across conversations', async () => {
    const conversation = adapter().open();
    const first = await conversation.send('怎么办理？', AbortSignal.timeout(10_000));
    expect(first.text).toBe(reply(1, '怎么办理？'));
    expect(first.text).not.toContain(GREETING);
    expect(first.raw).toContain('<p>');
    expect(first.firstMs).toBeGreaterThan(0);
    // Streamed in chunks: the whole reply (checked above) came after the first chunk. How long after
    // depends on when the page was polled, which a loaded machine delays, so no figure is asserted.
    expect(first.totalMs).toBeGreaterThan(first.firstMs);

    const second = await conversation.send('需要带什么材料？', AbortSignal.timeout(10_000));
    expect(second.text).toBe(reply(2, '需要带什么材料？'));
    await conversation.close();

    // The page above left a visitor cookie; a conversation sharing its context would be "回访".
    const later = adapter().open();
    expect((await later.send('几点上班？', AbortSignal.timeout(10_000))).text).toBe(reply(1, '几点上班？'));
    await later.close();

    // deep-chat's web font was refused with the beacon to the other site.
    expect(site().beacons.filter((b) => b.startsWith('beacon.localhost'))).toEqual([]);
    expect(site().beacons.filter((b) => b.startsWith('127.0.0.1')).length).toBeGreaterThanOrEqual(2);
  });

  it('runs conversations in parallel, each in its own page', async () => {
    const questions = ['社保卡丢了怎么办？', '营业执照在哪里办？', '公积金怎么提取？'];
    const replies = await Promise.all(
      questions.map(async (q) => {
        const conversation = adapter().open();
        try {
          return (await conversation.send(q, AbortSignal.timeout(10_000))).text;
        } finally {
          await conversation.close();
        }
      }),
    );
    expect(replies).toEqual(questions.map((q) => reply(1, q)));
  });

  it('waits out a slow reply, times out on a silent bot with a screenshot, then starts afresh', async () => {
    const conversation = adapter().open();
    // 1.2 s before the first word, then pauses of 150 ms, shorter than quietMs: one reply, not its first chunk.
    const slow = await conversation.send('【慢】几天能办好？', AbortSignal.timeout(8_000));
    expect(slow.text).toBe(reply(1, '【慢】几天能办好？'));
    expect(slow.firstMs).toBeGreaterThanOrEqual(900);
    expect(slow.totalMs - slow.firstMs).toBeGreaterThanOrEqual(400);

    const err = await failure(conversation.send('【不答】有人吗？', AbortSignal.timeout(1_500)));
    expect(err.kind).toBe('timeout');
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('.ai-message-text');
    expectScreenshot(err);

    // deep-chat keeps its input locked while a reply is pending: only a new page can go on.
    const next = await conversation.send('还在吗？', AbortSignal.timeout(10_000));
    expect(next.text).toBe(reply(1, '还在吗？'));
    await conversation.close();
  });
});
