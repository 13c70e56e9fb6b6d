import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserHost } from '../src/adapters/utils/browser.js';
import { askCase } from '../src/runner/ask-case.js';
import { RateGate } from '../src/runner/rate-gate.js';
import { useWidgetHarness } from './fixtures/widget/harness.js';

const { widget } = useWidgetHarness();

const PAGE = { selectors: { input: '#q', send: '#go', botMessage: '.bot' }, quietMs: 250 };
const TITLES = ['如何预约窗口办理？', '周末是否办公？', '需要带哪些证件？'];

describe.concurrent('web-widget replies that are not plain answers', () => {
  const shared = createBrowserHost();
  beforeAll(async () => {
    await (await shared.newContext('http://127.0.0.1/')).close();
  });
  afterAll(() => shared.close());

  it('reads a clickable 猜你想问 list as suggestions only, and follows one by clicking it', async () => {
    const conversation = widget('/suggest.html', PAGE, shared).open();
    const list = await conversation.send('我想办个事', AbortSignal.timeout(10_000));
    expect(list.suggestions).toEqual(TITLES);
    expect(list.suggestionsOnly).toBe(true);
    // Each kind of item (handler attribute, pointer by class, link to nowhere) is clicked, not typed.
    for (const title of [TITLES[1]!, TITLES[2]!]) {
      const again = await conversation.send('我想办个事', AbortSignal.timeout(10_000));
      expect(again.suggestionsOnly).toBe(true);
      const reached = await conversation.follow!(title, AbortSignal.timeout(10_000));
      expect(reached.text).toMatch(new RegExp(`^${title}.+（点击）$`));
      expect(reached.suggestionsOnly).toBeUndefined();
    }
    await conversation.close();
  });

  it('reads a plain-text numbered list after 您是不是想问, and follows it by typing the question', async () => {
    const conversation = widget('/suggest.html', PAGE, shared).open();
    const list = await conversation.send('给我列表', AbortSignal.timeout(10_000));
    expect(list.suggestions).toEqual(TITLES);
    expect(list.suggestionsOnly).toBe(true);
    const reached = await conversation.follow!(TITLES[0]!, AbortSignal.timeout(10_000));
    expect(reached.text).toBe(`${TITLES[0]}可在网上预约，也可到窗口取号。（输入）`);
    await conversation.close();
  });

  it('lets the runner click the suggestion closest to the question and record it as a followed turn', async () => {
    const limits = { concurrency: 1, timeoutMs: 10_000, retries: 0 };
    const { turns } = await askCase(widget('/suggest.html', PAGE, shared), ['周末办公吗'], limits, new RateGate({}), undefined, 1);
    expect(turns.map((t) => [t.index, t.user, t.ok, t.suggestionsOnly, t.followed])).toEqual([
      [0, '周末办公吗', true, true, undefined],
      [1, TITLES[1], true, undefined, true],
    ]);
    expect(turns[1]!.reply).toBe(`${TITLES[1]}工作日 9:00-17:00 办公，周末不办公。（点击）`);
  });

  it('keeps the links of an answer, and does not take its feedback buttons for suggestions', async () => {
    const conversation = widget('/suggest.html', PAGE, shared).open();
    const answer = await conversation.send('办事指南在哪', AbortSignal.timeout(10_000));
    await conversation.close();
    expect(answer.links).toEqual([{ text: '办事指南', href: 'https://zwfw.example.gov.cn/guide/1' }]);
    expect(answer.suggestions).toBeUndefined();
    expect(answer.suggestionsOnly).toBeUndefined();
  });
});
