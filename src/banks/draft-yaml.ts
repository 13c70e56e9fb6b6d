/**
 * Draft banks from an imported table: one YAML file per matter, in the bank format, with everything a
 * machine only proposed (key points, facts, aspects, sources) marked `TODO(person)` for a person.
 */
import { Document, isMap, isPair, isScalar, isSeq, Scalar, type Node, type YAMLMap } from 'yaml';
import { extractQuantities } from '../text/numerals.js';
import { segment } from '../text/segment.js';
import { UserError } from '../util/errors.js';
import type { ImportedTable, TableRow } from './import-table.js';
import { ASPECT_CUES, FALLBACK_ASPECT, TERSE_DROP_WORDS } from './phrasing-rules.js';
import { idPrefix, kebabIdFromName } from './pinyin-id.js';

/** The marker a person searches for before a draft becomes a bank. */
export const TODO = 'TODO(person)';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Proposed key points per question: enough to cover a list answer, few enough to check. */
const MAX_KEY_POINTS = 6;
/** A list item or sentence kept as a key point's text is cut to this many characters. */
const MAX_KEY_POINT_TEXT = 40;
/** An item this short is its own match phrase; a longer one is matched by its longest content words. */
const MAX_WHOLE_MATCH = 10;

/** Enumeration markers that start a list item: 1. 1、 (1) （一） 一、 ① - • */
const ITEM_MARKER = /(?:^|(?<=[\n：:；;。]))\s*(?:\d{1,2}\s*[.、．)）](?!\d)|[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}、|[-•·*]\s)\s*/gu;
const SENTENCE_END = /[。！？!?；;\n]+/;
const CLAUSE_END = /[。！？!?；;\n，,]+/;

/** Options for `buildDrafts`. */
interface DraftOptions {
  /** Put every row into one matter with this id (`--matter`). */
  matterId?: string;
}

/** One matter's draft bank. */
interface Draft {
  matterId: string;
  matterName: string;
  /** `<matterId>.yaml` */
  fileName: string;
  text: string;
  questions: number;
  keyPoints: number;
  facts: number;
  /** How many `TODO(person)` marks the draft carries. */
  todos: number;
}

/** A key point proposed from an answer. */
interface ProposedKeyPoint {
  id: string;
  text: string;
  match: string[];
}

/** A fact proposed from a number with a unit in an answer. */
interface ProposedFact {
  id: string;
  text: string;
  value: number;
  unit: string;
  /** Set when the number is one end of a range (3至5个工作日). */
  range?: [number, number];
}

/** Groups the table's rows by matter and writes one draft per matter. Pure: nothing is read or written. */
export function buildDrafts(table: ImportedTable, options: DraftOptions = {}): Draft[] {
  const groups = groupByMatter(table, options);
  // Question ids must be unique across banks: two matters with the same initials get numbered prefixes.
  const prefixes = new Set<string>();
  return groups.map(({ id, name, rows }) => {
    let prefix = idPrefix(id);
    for (let n = 2; prefixes.has(prefix); n++) prefix = `${idPrefix(id)}${n}`;
    prefixes.add(prefix);
    return draftForMatter(table, { id, name, prefix, nameIsId: options.matterId !== undefined && !rows.some((r) => r.matter) }, rows);
  });
}

interface MatterGroup {
  id: string;
  name: string;
  rows: TableRow[];
}

function groupByMatter(table: ImportedTable, options: DraftOptions): MatterGroup[] {
  const names = [...new Set(table.rows.map((r) => r.matter ?? ''))];
  if (options.matterId !== undefined) {
    if (!KEBAB.test(options.matterId)) throw new UserError(`--matter "${options.matterId}": expected a kebab-case id (a-z, 0-9, -)`);
    const named = names.filter((n) => n.length > 0);
    if (named.length > 1) {
      throw new UserError(
        `--matter names one matter, but ${table.file} holds ${named.length}: ${named.join(', ')}`,
        'drop --matter to write one draft per matter, with ids derived from their names',
      );
    }
    return [{ id: options.matterId, name: named[0] ?? options.matterId, rows: table.rows }];
  }
  const used = new Map<string, string>();
  return names.map((name) => {
    const id = kebabIdFromName(name);
    if (!id) throw new UserError(`${table.file}: cannot spell an id for the matter "${name}"`, 'pass --matter ID');
    const other = used.get(id);
    if (other !== undefined) {
      throw new UserError(`${table.file}: the matters "${other}" and "${name}" both give the id "${id}"`, 'import them one at a time with --matter ID');
    }
    used.set(id, name);
    return { id, name, rows: table.rows.filter((r) => (r.matter ?? '') === name) };
  });
}

function draftForMatter(
  table: ImportedTable,
  { id: matterId, name: matterName, prefix, nameIsId }: { id: string; name: string; prefix: string; nameIsId: boolean },
  rows: TableRow[],
): Draft {
  const aspects = new Map<string, string>();
  const derivedAspects = rows.some((r) => r.aspect === undefined);
  const perAspect = new Map<string, number>();
  let keyPointCount = 0;
  let factCount = 0;

  const questions = rows.map((row) => {
    const aspect = aspectOf(row);
    if (!aspects.has(aspect.id)) aspects.set(aspect.id, aspect.name);
    const n = (perAspect.get(aspect.id) ?? 0) + 1;
    perAspect.set(aspect.id, n);
    const keyPoints = proposeKeyPoints(row.answer);
    const facts = proposeFacts(row.answer);
    keyPointCount += keyPoints.length;
    factCount += facts.length;
    return {
      row,
      value: {
        id: `${prefix}-${aspect.id}-${String(n).padStart(2, '0')}`,
        aspect: aspect.id,
        text: row.question,
        ...(row.variants.length > 0 && { variants: row.variants.map((text) => ({ style: 'similar', text })) }),
        reference: {
          answer: row.answer,
          keyPoints,
          ...(facts.length > 0 && { facts: facts.map(({ range: _range, ...f }) => f) }),
        },
      },
      facts,
    };
  });

  const doc = new Document({
    matter: { id: matterId, name: matterName, aliases: [], sources: [] },
    aspects: [...aspects].map(([id, name]) => ({ id, name })),
    questions: questions.map((q) => q.value),
  });
  const where = table.sheet ? `${table.file} (sheet ${table.sheet})` : table.file;
  doc.commentBefore = [
    ` Draft bank imported by \`govbench bank import\` from ${where} — not yet checked by a person.`,
    ` Before it moves to question-banks/matters/, resolve every ${TODO} below against the answers' sources,`,
    ` then run \`govbench validate\` and \`govbench bank stats\`.`,
  ].join('\n');
  let todos = 0;
  const todo = (node: Node | Scalar | null | undefined, text: string) => {
    if (!node) return;
    node.commentBefore = ` ${TODO}: ${text}`;
    todos++;
  };

  const matter = doc.get('matter', true) as YAMLMap;
  if (nameIsId) todo(keyOf(matter, 'name'), 'the matter\'s name as the portal lists it');
  todo(keyOf(matter, 'aliases'), 'names users and cities use for the matter');
  todo(keyOf(matter, 'sources'), 'the regulations the answers come from ({ title, issuer, year, article })');
  flowItems(doc.get('aspects', true));
  if (derivedAspects) todo(keyOf(doc.contents as YAMLMap, 'aspects'), 'aspects were assigned from keywords in the questions; check, rename, split');

  const questionSeq = doc.get('questions', true);
  if (!isSeq(questionSeq)) throw new Error('draft: questions is not a sequence');
  questionSeq.items.forEach((node, i) => {
    const q = questions[i]!;
    if (!isMap(node)) return;
    node.commentBefore = ` from ${table.file}:${q.row.pos.line}`;
    const variants = node.get('variants', true);
    if (variants) {
      flowItems(variants);
      todo(keyOf(node, 'variants'), 'similar questions from the table: set each style (colloquial, typo, indirect, …)');
    }
    const reference = node.get('reference', true);
    if (!isMap(reference)) throw new Error('draft: reference is not a mapping');
    const answer = reference.get('answer', true);
    if (isScalar(answer) && String(answer.value).includes('\n')) answer.type = Scalar.BLOCK_LITERAL;
    flowItems(reference.get('keyPoints', true));
    todo(keyOf(reference, 'keyPoints'), 'check — proposed from the answer\'s items; keep what a correct answer must convey, add the words people use to match, set minKeyPoints');
    const facts = reference.get('facts', true);
    if (isSeq(facts)) {
      flowItems(facts);
      todo(keyOf(reference, 'facts'), 'check — proposed from numbers with units in the answer; delete any that is not a rule, add context where a unit has several values');
      facts.items.forEach((f, j) => {
        const range = q.facts[j]?.range;
        if (range && isMap(f)) f.comment = ` ${TODO}: one end of the range ${range[0]}–${range[1]}`;
      });
    }
  });

  return {
    matterId,
    matterName,
    fileName: `${matterId}.yaml`,
    text: doc.toString({ lineWidth: 0, flowCollectionPadding: true }),
    questions: rows.length,
    keyPoints: keyPointCount,
    facts: factCount,
    todos,
  };
}

function aspectOf(row: TableRow): { id: string; name: string } {
  if (row.aspect !== undefined) {
    const id = KEBAB.test(row.aspect) ? row.aspect : kebabIdFromName(row.aspect, 3);
    return { id: id || FALLBACK_ASPECT.id, name: row.aspect };
  }
  const cue = ASPECT_CUES.find((a) => a.cues.some((c) => row.question.includes(c)));
  return cue ? { id: cue.id, name: cue.name } : FALLBACK_ASPECT;
}

/**
 * Key points proposed from an answer: its list items when it enumerates (1. … 2. …, （一）…, ①…),
 * the items after a colon when it lists them with 、, else its clauses.
 */
function proposeKeyPoints(answer: string): ProposedKeyPoint[] {
  const pieces = listItems(answer) ?? answer.split(CLAUSE_END);
  const seen = new Set<string>();
  const ids = new Set<string>();
  const out: ProposedKeyPoint[] = [];
  for (const piece of pieces) {
    const text = cutText(piece);
    if (!text) continue;
    const match = matchPhrases(text);
    const key = match.join('|');
    if (match.length === 0 || seen.has(key)) continue;
    seen.add(key);
    let id = kebabIdFromName(match[0]!, 2) || `kp${out.length + 1}`;
    if (ids.has(id)) id = `${id}-${out.length + 1}`;
    ids.add(id);
    out.push({ id, text, match });
    if (out.length === MAX_KEY_POINTS) break;
  }
  if (out.length === 0) {
    const text = cutText(answer) || answer.trim();
    out.push({ id: 'kp1', text, match: [text.slice(0, MAX_WHOLE_MATCH)] });
  }
  return out;
}

function listItems(answer: string): string[] | undefined {
  const markers = [...answer.matchAll(ITEM_MARKER)];
  if (markers.length >= 2) {
    const items = markers.map((m, i) => answer.slice(m.index + m[0].length, markers[i + 1]?.index ?? answer.length));
    // An item runs to its first sentence end: what follows the list is not part of its last item.
    return items.map((item) => item.split(SENTENCE_END)[0] ?? item);
  }
  const colon = /[：:]([^。；;\n]*、[^。；;\n]*)/u.exec(answer);
  if (colon) {
    const items = colon[1]!.split(/[、，,]|以及|和|及/u).map((s) => s.trim()).filter((s) => s.length > 0);
    if (items.length >= 2 && items.every((s) => s.length <= 20)) return items;
  }
  return undefined;
}

function cutText(piece: string): string {
  const text = piece.replace(/\s+/g, ' ').trim().replace(/^[，,、：:\s]+|[，,、：:。；;\s]+$/gu, '');
  if (text.length <= MAX_KEY_POINT_TEXT) return text;
  const clause = text.split(CLAUSE_END)[0] ?? text;
  return clause.length <= MAX_KEY_POINT_TEXT ? clause : clause.slice(0, MAX_KEY_POINT_TEXT);
}

/** What an answer must say for the key point: the item itself when short, else its two longest content words. */
function matchPhrases(text: string): string[] {
  const bare = text.replace(/[\p{P}\p{S}\s]+/gu, '');
  if (bare.length === 0) return [];
  if (bare.length <= MAX_WHOLE_MATCH) return [safePhrase(bare)];
  // A number with its unit says more than any word around it (15个工作日 rather than 之日起).
  const quantity = extractQuantities(text).find((q) => !q.ordinal);
  if (quantity) return [text.slice(quantity.index, quantity.end)];
  const words = [...new Set(segment(text))].filter((w) => w.length >= 2 && !TERSE_DROP_WORDS.has(w) && !/^\d+$/.test(w));
  const longest = [...words].sort((a, b) => b.length - a.length).slice(0, 2);
  const chosen = words.filter((w) => longest.includes(w));
  return chosen.length > 0 ? chosen.map(safePhrase) : [safePhrase(bare.slice(0, MAX_WHOLE_MATCH))];
}

/** A phrase written /…/ would be read as a regular expression. */
function safePhrase(phrase: string): string {
  return /^\/.*\/[a-z]*$/.test(phrase) ? phrase.slice(1) : phrase;
}

/** Facts proposed from the numbers with units in an answer (ordinals and dates left out), one per value and unit. */
function proposeFacts(answer: string): ProposedFact[] {
  const out: ProposedFact[] = [];
  const seen = new Set<string>();
  for (const q of extractQuantities(answer)) {
    if (q.ordinal || q.unit === '个') continue;
    const key = `${q.value}\u0000${q.unit}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      id: `fact-${out.length + 1}`,
      text: clauseAround(answer, q.index, q.end),
      value: q.value,
      unit: q.unit,
      ...(q.range && { range: q.range }),
    });
  }
  return out;
}

function clauseAround(text: string, start: number, end: number): string {
  let from = start;
  while (from > 0 && !CLAUSE_END.test(text[from - 1]!)) from--;
  let to = end;
  while (to < text.length && !CLAUSE_END.test(text[to]!)) to++;
  return cutText(text.slice(from, to)) || text.slice(start, end);
}

function flowItems(seq: unknown): void {
  if (!isSeq(seq)) return;
  for (const item of seq.items) if (isMap(item)) item.flow = true;
}

function keyOf(map: YAMLMap, key: string): Scalar | undefined {
  const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}
