/**
 * Adding accepted variants to a bank file in place: the YAML Document API finds where each question's
 * variants end, and the new lines are spliced into the text there, so every comment, blank line,
 * folded answer and flow list of the file stays exactly as a person wrote it.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { Variant } from '../domain/types.js';
import { parseYamlText, validateYaml } from '../util/yaml-file.js';
import { variantKey } from './propose-variants.js';
import { bankFileSchema } from './schema.js';

/** A variant to add to a question. */
export interface VariantAddition extends Variant {
  questionId: string;
}

interface AddVariantsResult {
  /** The new text of the file (the same text when nothing was added). */
  text: string;
  added: VariantAddition[];
  /** Additions left out, with why (a duplicate, a question written in flow style). */
  skipped: { addition: VariantAddition; reason: string }[];
}

interface Edit {
  at: number;
  insert: string;
}

/**
 * Adds variants to the questions of one bank file's text. Additions for questions the file does not
 * hold are ignored (they belong to another file). The result is parsed and validated again before it
 * is returned; a result that does not hold exactly the old and the new variants is a bug and throws.
 * @param file the file's name, for messages
 */
export function addVariantsToYaml(original: string, file: string, additions: readonly VariantAddition[]): AddVariantsResult {
  // Lines are appended after a line's newline, so the last line needs one.
  const source = original.endsWith('\n') ? original : `${original}\n`;
  const doc = parseDocument(source, { version: '1.2', keepSourceTokens: false });
  const questions = doc.get('questions', true);
  const result: AddVariantsResult = { text: original, added: [], skipped: [] };
  if (!isSeq(questions)) return result;
  const edits: Edit[] = [];
  for (const node of questions.items) {
    if (!isMap(node)) continue;
    const id = node.get('id');
    const mine = additions.filter((a) => a.questionId === id);
    if (mine.length === 0) continue;
    const existing = node.get('variants', true);
    const known = new Set([node.get('text'), ...(isSeq(existing) ? existing.items.map((v) => (isMap(v) ? v.get('text') : undefined)) : [])].map((t) => variantKey(String(t ?? ''))));
    const fresh: VariantAddition[] = [];
    for (const a of mine) {
      const key = variantKey(a.text);
      if (known.has(key)) {
        result.skipped.push({ addition: a, reason: 'the question or one of its variants already says this' });
        continue;
      }
      known.add(key);
      fresh.push(a);
    }
    if (fresh.length === 0) continue;
    const edit = node.flow || !node.has('text') ? undefined : insertionFor(source, node, fresh);
    if (!edit) {
      const reason = !node.has('text') ? 'a multi-turn script has no variants' : 'the question is written in a layout this tool does not edit (flow style); add its variants by hand';
      for (const a of fresh) result.skipped.push({ addition: a, reason });
      continue;
    }
    edits.push(edit);
    result.added.push(...fresh);
  }
  if (edits.length === 0) return result;
  let text = source;
  for (const e of edits.sort((a, b) => b.at - a.at)) text = text.slice(0, e.at) + e.insert + text.slice(e.at);
  result.text = text;
  checkResult(text, file, source, result.added);
  return result;
}

function insertionFor(source: string, question: YAMLMap, fresh: VariantAddition[]): Edit | undefined {
  const variants = question.get('variants', true);
  if (isSeq(variants) && variants.flow) {
    const close = (variants.range?.[1] ?? 0) - 1;
    if (source[close] !== ']') return undefined;
    const items = fresh.map(renderVariant).join(', ');
    return { at: close, insert: variants.items.length > 0 ? `, ${items}` : items };
  }
  if (isSeq(variants)) {
    const last = variants.items.at(-1) as Node | undefined;
    if (!last?.range) return undefined;
    const prefix = source.slice(lineStart(source, last.range[0]), last.range[0]);
    if (!/^\s*-\s+$/.test(prefix)) return undefined;
    return { at: lineEnd(source, last.range[1]), insert: fresh.map((v) => `${prefix}${renderVariant(v)}\n`).join('') };
  }
  // No variants yet: a block list right after the question's text.
  const textPair = question.items.find((p) => isScalar(p.key) && p.key.value === 'text');
  const key = textPair?.key as Node | undefined;
  const value = textPair?.value as Node | undefined;
  if (!key?.range || !value?.range) return undefined;
  const indent = ' '.repeat(key.range[0] - lineStart(source, key.range[0]));
  return {
    at: lineEnd(source, value.range[1]),
    insert: `${indent}variants:\n${fresh.map((v) => `${indent}  - ${renderVariant(v)}\n`).join('')}`,
  };
}

/** `{ style: typo, text: … }`, quoted by the YAML library where the text needs it. */
function renderVariant(v: Variant): string {
  const doc = new Document({ style: v.style, text: v.text });
  (doc.contents as YAMLMap).flow = true;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true }).trim();
}

function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

/** Where the line holding the character before `offset` ends (after its newline): the next line starts there. */
function lineEnd(source: string, offset: number): number {
  const nl = source.indexOf('\n', Math.max(0, offset - 1));
  return nl < 0 ? source.length : nl + 1;
}

function checkResult(text: string, file: string, before: string, added: readonly VariantAddition[]): void {
  const old = validateYaml(parseYamlText(before, file), bankFileSchema);
  const now = validateYaml(parseYamlText(text, file), bankFileSchema);
  for (const q of now.questions) {
    const expected = [...(old.questions.find((o) => o.id === q.id)?.variants ?? []), ...added.filter((a) => a.questionId === q.id).map(({ style, text: t }) => ({ style, text: t }))];
    if (JSON.stringify(q.variants) !== JSON.stringify(expected)) {
      throw new Error(`${file}: adding variants to ${q.id} gave ${JSON.stringify(q.variants)}, expected ${JSON.stringify(expected)}`);
    }
  }
}
