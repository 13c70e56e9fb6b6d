import { describe, expect, it } from 'vitest';
import { linksFromData, onlySuggestionsIn, pageStructure, suggestionsFromData, textStructure } from '../src/adapters/utils/reply-structure.js';

describe('the structure of a reply known as text', () => {
  it.each([
    ['您是不是想问：\n1. 如何预约？\n2、周末是否办公？', ['如何预约？', '周末是否办公？'], true],
    ['抱歉，没有找到答案。猜你想问\n（1）如何预约？\n（2）周末是否办公？', ['如何预约？', '周末是否办公？'], true],
    ['请选择您要咨询的问题：\n- 如何预约？\n- 周末是否办公？\n\n', ['如何预约？', '周末是否办公？'], true],
    ['请携带身份证到窗口办理。\n您可能想问：\n① 如何预约？\n② 周末是否办公？', ['如何预约？', '周末是否办公？'], false],
    ['相关问题\n1. 如何预约？\n以上问题都不是？请换个说法。', ['如何预约？'], false],
  ])('%j offers %j (suggestions only: %s)', (text, suggestions, only) => {
    expect(textStructure(text)).toEqual({ suggestions, suggestionsOnly: only, links: [] });
  });

  it.each(['办理流程：\n1. 网上申请\n2. 窗口领取', '如果您想咨询材料，需带：\n1. 身份证\n2. 申请表', '请选择以下方式之一：\n1. 网上办理\n2. 窗口办理'])(
    'takes the list of %j for part of an answer',
    (text) => {
      expect(textStructure(text)).toEqual({ suggestions: [], suggestionsOnly: false, links: [] });
    },
  );

  it('counts list items the page showed without numbers', () => {
    expect(textStructure('您是不是想问\n如何预约？\n周末是否办公？', ['如何预约？', '周末是否办公？']).suggestionsOnly).toBe(true);
  });
});

describe('the structure of a reply a page showed', () => {
  it('takes clickable items, drops controls too short to be questions and links that go nowhere', () => {
    const s = pageStructure('请选择您要咨询的事项\n如何预约？\n周末是否办公？\n赞', {
      clickable: ['如何预约？', ' 周末是否办公？ ', '赞'],
      listItems: [],
      links: [{ text: '指南', href: 'mailto:a@b.cn' }],
    });
    expect(s).toEqual({ suggestions: ['如何预约？', '周末是否办公？'], suggestionsOnly: false, links: [] });
  });

  it('is suggestions only when the rest of the text is one introducing line', () => {
    const markup = { clickable: ['如何预约窗口？', '周末是否办公？'], listItems: [], links: [] };
    expect(pageStructure('请选择您要咨询的事项\n如何预约窗口？\n周末是否办公？', markup).suggestionsOnly).toBe(true);
    expect(pageStructure('窗口工作日开放。\n如何预约窗口？\n周末是否办公？', markup).suggestionsOnly).toBe(false);
  });
});

describe('suggestions and links an API gives as data', () => {
  it('takes strings and the question field of objects', () => {
    expect(suggestionsFromData([['如何预约？', { title: '周末是否办公？' }, { id: 3, question: '需要带什么？' }, { id: 4 }, null]])).toEqual([
      '如何预约？',
      '周末是否办公？',
      '需要带什么？',
    ]);
  });

  it('takes http(s) URLs only', () => {
    expect(linksFromData(['https://a.gov.cn/x', 'javascript:void(0)', { title: '指南', url: 'http://b.gov.cn/' }, { href: '#' }])).toEqual([
      { text: 'https://a.gov.cn/x', href: 'https://a.gov.cn/x' },
      { text: '指南', href: 'http://b.gov.cn/' },
    ]);
  });

  it('sees a text that is only an intro to the given suggestions as suggestions only', () => {
    expect(onlySuggestionsIn('您是不是想问：', ['如何预约？'])).toBe(true);
    expect(onlySuggestionsIn('请携带身份证办理。', ['如何预约？'])).toBe(false);
    expect(onlySuggestionsIn('您是不是想问：', [])).toBe(false);
  });
});
