import { isMap, isScalar, isSeq, parseDocument, stringify, type Pair } from 'yaml';
import type { AdapterConfig } from '../domain/types.js';
import { UserError } from '../util/errors.js';
import { displayPath } from '../util/yaml-file.js';

/** An adapter as block YAML, each line indented by `indent` spaces. */
export function adapterYaml(adapter: AdapterConfig, indent: number): string {
  const pad = ' '.repeat(indent);
  return stringify(adapter, { lineWidth: 0 })
    .trimEnd()
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

/**
 * The registry text with target `id`'s adapter replaced, and nothing else changed: the value's span in
 * the source is cut out and the new block put in its place, so comments, flow styles and every other
 * entry stay byte for byte (re-serialising the document would reflow them).
 */
export function replaceTargetAdapter(text: string, file: string, id: string, adapter: AdapterConfig): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new UserError(`${displayPath(file)}: not valid YAML (${doc.errors[0]?.message.split('\n')[0]}); fix it before writing into it`);
  const targets = isMap(doc.contents) ? doc.contents.get('targets', true) : undefined;
  if (!isSeq(targets)) throw new UserError(`${displayPath(file)}: no targets: list; expected a target registry`);
  const entry = targets.items.find((t) => isMap(t) && t.get('id') === id);
  if (!isMap(entry)) {
    throw new UserError(`${displayPath(file)}: no target with id "${id}"`, 'add the entry (id, name, region) first, or pick an id the file has');
  }
  const pair = entry.items.find((p) => isScalar(p.key) && p.key.value === 'adapter') as Pair<{ range?: number[] }, { range?: number[] }> | undefined;
  const [keyStart, keyEnd] = pair?.key?.range ?? [];
  const valueEnd = pair?.value?.range?.[1];
  if (keyStart === undefined || keyEnd === undefined || valueEnd === undefined) {
    throw new UserError(`${displayPath(file)}: target "${id}" has no adapter: to fill in`);
  }
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  let end = valueEnd;
  while (end > keyEnd && /\s/.test(text[end - 1] ?? '')) end -= 1;
  return `${text.slice(0, keyEnd)}:\n${adapterYaml(adapter, keyStart - lineStart + 2)}${text.slice(end)}`;
}
