/**
 * Aho–Corasick over UTF-16 code units: finds every occurrence of many phrases in one pass, so the
 * cost of a phrase list does not grow with its length.
 *
 * Every answer is scanned by dozens of these (each question's key points, the phrase lists), so the
 * scan loop is kept to at most two integer-keyed lookups per code unit: failure links are followed
 * once, at construction, and a code unit that starts no phrase is skipped through a small bitmap.
 */

/** Code units hashed into this many bits to tell, cheaply, that one starts no phrase. */
const FIRST_BITS = 4096;

export class PhraseAutomaton {
  /** The root's transitions: code unit → state. */
  private readonly root = new Map<number, number>();
  /**
   * Transitions of every other state with failure links already followed, keyed by
   * state · 2¹⁶ + code unit. A pair missing here goes where the root goes with that code unit.
   */
  private readonly delta = new Map<number, number>();
  /** Bit (c mod FIRST_BITS) set when some phrase begins with a code unit c of that residue. */
  private readonly first = new Uint32Array(FIRST_BITS / 32);
  /** Phrase ids ending at state s (own and inherited): outIds[outStart[s] .. outStart[s + 1]). */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  private readonly lengths: Int32Array;

  constructor(phrases: readonly string[]) {
    this.lengths = Int32Array.from(phrases, (p) => p.length);
    const trie: Array<Map<number, number>> = [new Map()];
    const own: number[][] = [[]];
    phrases.forEach((phrase, id) => {
      if (phrase.length === 0) return;
      let state = 0;
      for (let i = 0; i < phrase.length; i++) {
        const c = phrase.charCodeAt(i);
        let to = trie[state]!.get(c);
        if (to === undefined) {
          to = trie.length;
          trie.push(new Map());
          own.push([]);
          trie[state]!.set(c, to);
        }
        state = to;
      }
      own[state]!.push(id);
    });

    for (const [c, to] of trie[0]!) {
      this.root.set(c, to);
      this.first[(c % FIRST_BITS) >>> 5]! |= 1 << (c & 31);
    }
    // Breadth first, so a state's failure target (shallower) is complete before the state itself.
    const fail = new Int32Array(trie.length);
    const resolved: Array<Map<number, number>> = new Array(trie.length);
    resolved[0] = new Map();
    const outputs: number[][] = own.map((ids) => [...ids]);
    const queue: number[] = [...trie[0]!.values()];
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      const f = fail[s]!;
      // From s, a code unit without a trie edge goes where it goes from s's failure state.
      const moves = new Map(resolved[f]!);
      for (const [c, to] of trie[s]!) {
        moves.set(c, to);
        const viaFail = f === 0 ? this.root.get(c) : resolved[f]!.get(c) ?? this.root.get(c);
        fail[to] = viaFail !== undefined && viaFail !== to ? viaFail : 0;
        queue.push(to);
      }
      resolved[s] = moves;
      if (f !== 0) outputs[s]!.push(...outputs[f]!);
      for (const [c, to] of moves) if (this.root.get(c) !== to) this.delta.set(s * 0x10000 + c, to);
    }

    this.outStart = new Int32Array(trie.length + 1);
    for (let s = 0; s < trie.length; s++) this.outStart[s + 1] = this.outStart[s]! + outputs[s]!.length;
    this.outIds = Int32Array.from(outputs.flat());
  }

  /**
   * Calls `onHit(id, start, end)` for every occurrence; stops early when it returns true.
   * Returns true when stopped early.
   */
  scan(text: string, onHit: (id: number, start: number, end: number) => boolean | void): boolean {
    const { root, delta, first, outStart, outIds, lengths } = this;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const starts = (first[(c % FIRST_BITS) >>> 5]! & (1 << (c & 31))) !== 0;
      if (state === 0) {
        if (!starts) continue;
        state = root.get(c) ?? 0;
      } else {
        const to = delta.get(state * 0x10000 + c);
        state = to !== undefined ? to : starts ? (root.get(c) ?? 0) : 0;
      }
      for (let o = outStart[state]!, end = outStart[state + 1]!; o < end; o++) {
        const id = outIds[o]!;
        if (onHit(id, i + 1 - lengths[id]!, i + 1) === true) return true;
      }
    }
    return false;
  }
}
