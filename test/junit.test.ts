import { describe, expect, it } from 'vitest';
import { renderCompareJunit, renderRunJunit, runJunitChunks, xmlAttr, xmlText } from '../src/reports/junit.js';
import { compareRuns } from '../src/scoring/compare/compare-runs.js';
import type { Comparison } from '../src/scoring/compare/comparison.js';
import { rec, side, type CaseSpec } from './compare-fixtures.js';

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// XML 1.0 Char, as the renderer must respect it.
const LEGAL = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

function decode(raw: string, where: string): string {
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) throw new Error(`bare & in ${where}: ${raw}`);
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e]!,
  );
}

/**
 * A strict little parser of the XML subset JUnit reports use (declaration, elements, attributes,
 * text, entities; no CDATA, comments or DTD): throws on anything not well-formed.
 */
function parseXml(xml: string): XmlNode {
  if (!LEGAL.test(xml)) throw new Error('a character XML 1.0 forbids');
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) throw new Error('no XML declaration');
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[A-Za-z][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  token.lastIndex = decl[0].length;
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const m = token.exec(xml);
    if (!m || m.index !== at) throw new Error(`not well-formed at ${at}: ${xml.slice(at, at + 40)}`);
    const [, close, name, attrText, selfClose, text] = m;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      if (text.includes('>') && text.includes(']]>')) throw new Error('`]]>` in text');
      top.text += decode(text, top.name);
    } else if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText!.matchAll(/([A-Za-z][\w.-]*)="([^"]*)"/g)) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]!] = decode(a[2]!, `${name}@${a[1]}`);
      }
      const node: XmlNode = { name: name!, attrs, children: [], text: '' };
      top.children.push(node);
      if (!selfClose) stack.push(node);
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('unclosed elements or several roots');
  return root.children[0]!;
}

const all = (n: XmlNode, name: string): XmlNode[] => [...(n.name === name ? [n] : []), ...n.children.flatMap((c) => all(c, name))];

describe('the XML checker itself', () => {
  it('rejects what is not well-formed', () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(() => parseXml(`${head}<a><b></a>`)).toThrow();
    expect(() => parseXml(`${head}<a>x & y</a>`)).toThrow(/bare &/);
    expect(() => parseXml(`${head}<a>x < y</a>`)).toThrow();
    expect(() => parseXml(`${head}<a>\u0001</a>`)).toThrow(/forbids/);
    expect(parseXml(`${head}<a k="1 &amp; 2"><b/>t&lt;</a>`)).toMatchObject({ name: 'a', attrs: { k: '1 & 2' }, text: 't<' });
  });
});

describe('XML escaping', () => {
  it('escapes markup, keeps line breaks in attributes and drops characters XML 1.0 forbids', () => {
    expect(xmlText('a < b && c ]]> d')).toBe('a &lt; b &amp;&amp; c ]]&gt; d');
    expect(xmlText('x\u0001y\u0000z\ud800\uffff')).toBe('xyz');
    expect(xmlAttr('say "hi"\n\'there\'\t')).toBe('say &quot;hi&quot;&#10;&apos;there&apos;&#9;');
  });
});

const HOSTILE = '答案 <b>&amp; ]]> </testcase>\u0001\u001b[31m"\'';

function comparison(): Comparison {
  const b: CaseSpec[] = [
    { target: 'v1', q: 'crit-1', out: 'correct', critical: true, matter: 'lic' },
    { target: 'v1', q: 'crit-1', out: 'correct', critical: true, matter: 'lic', variant: 1 },
    { target: 'v1', q: 'plain-2', out: 'incorrect', matter: 'lic' },
    { target: 'v1', q: 'plain-3', out: 'unjudged', matter: 'card' },
    { target: 'v1', q: 'plain-4', out: 'correct', matter: 'card' },
  ];
  const c: CaseSpec[] = [
    { target: 'v2', q: 'crit-1', out: 'incorrect', critical: true, matter: 'lic', rationale: `fact error ${HOSTILE}` },
    { target: 'v2', q: 'crit-1', out: 'correct', critical: true, matter: 'lic', variant: 1 },
    { target: 'v2', q: 'plain-2', out: 'correct', matter: 'lic' },
    { target: 'v2', q: 'plain-3', out: 'correct', matter: 'card' },
    { target: 'v2', q: 'plain-4', out: 'correct', matter: 'card' },
  ];
  const targets = [{ id: 'v1', name: 'v1', role: 'prov' }];
  const r = compareRuns(side('b', targets, b), side('c', [{ id: 'v2', name: 'v2', role: 'prov' }], c), { scoring: { bootstrap: { iterations: 0 } } });
  return {
    ...r,
    questions: r.questions.map((q) => ({ ...q, asked: `问 ${q.questionId} ${q.questionId === 'crit-1' ? HOSTILE : ''}` })),
    regressedPairs: r.regressedPairs.map((p) => ({
      ...p,
      asked: '有效期多久？',
      baselineAnswer: { text: '五年。', error: null },
      candidateAnswer: { text: `十年。${HOSTILE}`, error: null },
    })),
  };
}

describe('renderCompareJunit', () => {
  const c = comparison();
  const xml = renderCompareJunit(c);
  const doc = parseXml(xml);
  const cases = all(doc, 'testcase');

  it('is well-formed, with one test case per question and one for the gate', () => {
    expect(doc.name).toBe('testsuites');
    expect(cases).toHaveLength(c.questions.length + 1);
    expect(doc.attrs).toMatchObject({ tests: '5', failures: '2', skipped: '1', errors: '0' });
    expect(cases.map((t) => t.attrs.classname)).toEqual(['lic', 'card', 'card', 'lic', 'govbench']);
  });

  it('fails a regressed question with both answers, escaped, and skips an excluded one', () => {
    const crit = cases.find((t) => t.attrs.name!.startsWith('crit-1 '))!;
    expect(crit.attrs.name).toContain('问 crit-1 答案 <b>&amp; ]]> </testcase>');
    const failure = crit.children.find((n) => n.name === 'failure')!;
    expect(failure.attrs).toMatchObject({ type: 'critical-regression' });
    expect(failure.attrs.message).toBe('critical question regressed: 1 of 2 pairs went from correct to not correct');
    expect(failure.text).toContain('baseline (v1, correct):\n  五年。');
    expect(failure.text).toContain('candidate (v2, incorrect):\n  十年。答案 <b>&amp; ]]> </testcase>"\'');
    expect(failure.text).not.toMatch(/[\u0001\u001b]/);
    expect(xml).not.toContain('\u0001');
    expect(xml).toContain(']]&gt;');

    const skipped = cases.find((t) => t.attrs.name!.startsWith('plain-3'))!;
    expect(skipped.children.map((n) => n.name)).toEqual(['skipped']);
    const fixed = cases.find((t) => t.attrs.name!.startsWith('plain-2'))!;
    expect(fixed.children.map((n) => n.name)).toEqual(['system-out']);
  });

  it('fails the gate test case with the reason', () => {
    const gate = cases.at(-1)!;
    expect(gate.attrs.name).toBe('regression gate');
    expect(gate.children[0]).toMatchObject({ name: 'failure', attrs: { type: 'regression-gate' } });
    expect(gate.children[0]!.attrs.message).toBe(
      'REGRESSION — 1 critical question regressed (crit-1). Overall the candidate is no different (McNemar exact p = 1, α = 0.05: 1 regressed vs 1 fixed).',
    );
    const props = Object.fromEntries(all(doc, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({ regression: 'true', criticalRegressions: 'crit-1', pValue: '1', fixed: '1', regressed: '1' });
  });
});

describe('renderRunJunit', () => {
  const cases: CaseSpec[] = [
    { target: 'a', q: 'q1', out: 'correct' },
    { target: 'a', q: 'q1', out: 'partial', variant: 1, rationale: `missing ${HOSTILE}` },
    { target: 'a', q: 'q2', out: 'correct', matter: 'm2' },
    { target: 'a', q: 'q3', out: 'unavailable' },
    { target: 'b', q: 'q1', out: 'unjudged' },
    { target: 'b', q: 'q2', out: 'correct', repeat: 1 },
  ];
  const input = {
    run: side('r', [], []).run,
    targets: [
      { id: 'a', name: '甲' },
      { id: 'b', name: '乙 <城>' },
    ],
    cases: cases.map(rec),
    questionText: (id: string) => (id === 'q1' ? '怎么办理？' : undefined),
  };

  it('has one suite per target and one test case per (target, question), failing when not correct', () => {
    const doc = parseXml(renderRunJunit(input));
    expect(doc.attrs).toMatchObject({ tests: '5', failures: '1', errors: '1', skipped: '1' });
    const suites = all(doc, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(['甲 (a)', '乙 <城> (b)']);
    const a = Object.fromEntries(all(suites[0]!, 'testcase').map((t) => [t.attrs.name, t]));
    expect(Object.keys(a)).toEqual(['q1 怎么办理？', 'q2', 'q3']);
    const failure = a['q1 怎么办理？']!.children[0]!;
    expect(failure).toMatchObject({ name: 'failure', attrs: { message: '1 of 2 cases not correct', type: 'not-correct' } });
    expect(failure.text).toContain('style-1 #1, repeat 0: partial — missing 答案 <b>&amp; ]]>');
    expect(a.q2!.children).toEqual([]);
    expect(a.q2!.attrs.classname).toBe('m2');
    expect(a.q2!.attrs.time).toBe('1.500');
    expect(a.q3!.children[0]).toMatchObject({ name: 'error', attrs: { type: 'timeout' } });
    const b = all(suites[1]!, 'testcase');
    expect(b.map((t) => [t.attrs.name, t.children.map((n) => n.name)])).toEqual([
      ['q1 怎么办理？', ['skipped']],
      ['q2', []],
    ]);
  });

  it('reads the cases once, as a stream', () => {
    let reads = 0;
    const stream = function* () {
      for (const r of cases.map(rec)) {
        reads++;
        yield r;
      }
    };
    const chunks = [...runJunitChunks({ ...input, cases: stream() })];
    expect(reads).toBe(cases.length);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.join('')).toBe(renderRunJunit(input));
  });
});
