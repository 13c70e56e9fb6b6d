import type { KeyPoint, Pattern } from '../domain/types.js';
import { parsePattern, type CompiledPattern } from '../util/pattern.js';

/**
 * Cuts key points out of a reference answer, so an incomplete answer from the fleet is the bank's own
 * answer with its clauses missing — a reader sees what was left out by comparing the two.
 */

const compiled = new Map<Pattern, CompiledPattern>();

function compile(pattern: Pattern): CompiledPattern {
  let c = compiled.get(pattern);
  if (!c) compiled.set(pattern, (c = parsePattern(pattern)));
  return c;
}

/** The fleet's own, literal reading of a bank pattern (the judges normalise far more). */
export function matchesPattern(text: string, pattern: Pattern): boolean {
  const c = compile(pattern);
  return c.kind === 'phrase' ? text.toLowerCase().includes(c.phrase.toLowerCase()) : c.regex.test(text);
}

export function keyPointFound(text: string, kp: KeyPoint): boolean {
  return kp.match.some((p) => matchesPattern(text, p));
}

/** Where a pattern matches in a text, if it does. */
function findMatch(text: string, pattern: Pattern): { index: number; length: number } | undefined {
  const c = compile(pattern);
  if (c.kind === 'regex') {
    const m = c.regex.exec(text);
    return m && m[0].length > 0 ? { index: m.index, length: m[0].length } : undefined;
  }
  const index = text.toLowerCase().indexOf(c.phrase.toLowerCase());
  return index >= 0 && c.phrase.length > 0 ? { index, length: c.phrase.length } : undefined;
}

const HARD_END = /[\n。！？!?]$/;
const HARD_END_TAIL = /[\n。！？!?]+$/;
const CLAUSE_TAIL = /[；;：:\n。！？!?]+$/;
const SOFT_END = /[；;：:，、,]+$/;

interface Unit {
  text: string;
  removed: boolean;
}

interface Clause extends Unit {
  items: Unit[];
}

/** Clauses with their trailing punctuation (list items, sentences, the lead-in before a colon), each split into enumeration items. */
function parse(text: string): Clause[] {
  const clauses = text.match(/[^\n。！？!?；;：:]*[\n。！？!?；;：:]+|[^\n。！？!?；;：:]+$/g) ?? [];
  return clauses.map((c) => ({
    text: c,
    removed: false,
    items: (c.match(/[^，、,]*[，、,]+|[^，、,]+$/g) ?? [c]).map((t) => ({ text: t, removed: false })),
  }));
}

function renderClause(c: Clause): string {
  const text = joinUnits(c.items, CLAUSE_TAIL);
  // A clause that lost its opening would read 「且符合…」.
  return c.items[0]!.removed ? text.replace(/^(?:并且|而且|且)/, '') : text;
}

function render(clauses: Clause[]): string {
  const units: Unit[] = clauses.map((c) => ({ text: c.removed ? c.text : renderClause(c), removed: c.removed }));
  // A lead-in ending in a colon whose whole list was removed goes too.
  units.forEach((u, i) => {
    if (u.removed || !/[：:]$/.test(u.text) || i + 1 >= units.length) return;
    for (let j = i + 1; j < units.length; j++) {
      if (!units[j]!.removed) return;
      if (HARD_END.test(units[j]!.text)) break;
    }
    u.removed = true;
  });
  return tidy(joinUnits(units, HARD_END_TAIL));
}

/**
 * Joins kept units. A removed unit leaves its `keepTail` punctuation to the kept unit before it, so
 * 「A；B。」 without B reads 「A。」 rather than 「A；」.
 */
function joinUnits(units: readonly Unit[], keepTail: RegExp): string {
  const out: string[] = [];
  for (const u of units) {
    if (!u.removed) {
      out.push(u.text);
      continue;
    }
    const tail = keepTail.exec(u.text)?.[0];
    if (!tail || out.length === 0) continue;
    const last = out[out.length - 1]!;
    if (HARD_END.test(last)) continue;
    out[out.length - 1] = last.replace(SOFT_END, '') + tail;
  }
  return out.join('');
}

/** Collapses punctuation left dangling by removals. */
function tidy(text: string): string {
  return text
    .replace(/([，、,；;：:])[，、,；;：:]+/g, '$1')
    .replace(/[，、,；;：:]+([。！？!?])/g, '$1')
    .replace(/(^|\n)[\s，、,；;：:。]+/g, '$1')
    .replace(/\n{2,}/g, '\n')
    .replace(/[，、,；;：:]+$/, '。')
    .trim();
}

/** Records every unit's state; calling the result restores it. */
function snapshot(clauses: Clause[]): () => void {
  const units = clauses.flatMap((c) => [c as Unit, ...c.items]);
  const state = units.map((u) => ({ text: u.text, removed: u.removed }));
  return () => units.forEach((u, i) => Object.assign(u, state[i]));
}

/**
 * Removes from an answer what carries the dropped key points, and never what carries a kept one.
 * Tried in turn, each step checked against the kept key points: a whole clause that states the
 * point, an enumeration item that does, a clause or item whose removal breaks a match spanning
 * clauses, and last the matched words alone. A point that cannot go without taking a kept one
 * stays. Returns the text and the key points it no longer conveys.
 */
export function dropKeyPoints(answer: string, keyPoints: readonly KeyPoint[], drop: ReadonlySet<string>): { text: string; dropped: string[] } {
  const before = keyPoints.filter((k) => keyPointFound(answer, k));
  const dropping = before.filter((k) => drop.has(k.id));
  if (dropping.length === 0) return { text: answer, dropped: [] };
  const keeping = before.filter((k) => !drop.has(k.id));
  const clauses = parse(answer);
  const keepsAll = (text: string) => keeping.every((k) => keyPointFound(text, k));

  /** Applies a change; keeps it when `accept` holds for the result, else undoes it. */
  const attempt = (apply: () => () => void, accept: (text: string) => boolean): boolean => {
    const undo = apply();
    if (accept(render(clauses))) return true;
    undo();
    return false;
  };
  const removeUnit = (u: Unit) => () => {
    u.removed = true;
    return () => (u.removed = false);
  };

  for (const kp of dropping) {
    const saved = snapshot(clauses);
    for (let guard = 0; guard < 200 && keyPointFound(render(clauses), kp); guard++) {
      const live = clauses.filter((c) => !c.removed);
      const liveItems = live.flatMap((c) => c.items.filter((i) => !i.removed));
      const gone = (text: string) => keepsAll(text) && !keyPointFound(text, kp);
      const progressed =
        live.some((c) => keyPointFound(renderClause(c), kp) && attempt(removeUnit(c), keepsAll)) ||
        liveItems.some((i) => keyPointFound(i.text, kp) && attempt(removeUnit(i), keepsAll)) ||
        live.some((c) => attempt(removeUnit(c), gone)) ||
        liveItems.some((i) => attempt(removeUnit(i), gone)) ||
        liveItems.some((i) =>
          kp.match.some((p) => {
            const m = findMatch(i.text, p);
            if (!m) return false;
            return attempt(() => {
              const was = i.text;
              i.text = was.slice(0, m.index) + was.slice(m.index + m.length);
              return () => (i.text = was);
            }, keepsAll);
          }),
        );
      if (!progressed) break;
    }
    // Half a removal only damages the text; a point that cannot go whole stays whole.
    if (keyPointFound(render(clauses), kp)) saved();
  }
  const text = render(clauses);
  return { text, dropped: before.filter((k) => !keyPointFound(text, k)).map((k) => k.id) };
}
