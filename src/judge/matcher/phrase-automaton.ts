/**
 * Aho–Corasick over UTF-16 code units: finds every occurrence of many phrases in one pass, so the
 * cost of a phrase list does not grow with its length.
 */
export class PhraseAutomaton {
  private readonly next: Array<Map<number, number>> = [new Map()];
  private readonly fail: number[] = [0];
  /** Phrase ids ending at each state (own and inherited through failure links). */
  private readonly out: number[][] = [[]];
  private readonly lengths: number[];

  constructor(phrases: readonly string[]) {
    this.lengths = phrases.map((p) => p.length);
    phrases.forEach((phrase, id) => {
      if (phrase.length === 0) return;
      let state = 0;
      for (let i = 0; i < phrase.length; i++) {
        const c = phrase.charCodeAt(i);
        let to = this.next[state]!.get(c);
        if (to === undefined) {
          to = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[state]!.set(c, to);
        }
        state = to;
      }
      this.out[state]!.push(id);
    });
    const queue: number[] = [];
    for (const to of this.next[0]!.values()) queue.push(to);
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      for (const [c, to] of this.next[s]!) {
        let f = this.fail[s]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const target = this.next[f]!.get(c);
        this.fail[to] = target !== undefined && target !== to ? target : 0;
        this.out[to]!.push(...this.out[this.fail[to]!]!);
        queue.push(to);
      }
    }
  }

  /**
   * Calls `onHit(id, start, end)` for every occurrence; stops early when it returns true.
   * Returns true when stopped early.
   */
  scan(text: string, onHit: (id: number, start: number, end: number) => boolean | void): boolean {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let to = this.next[state]!.get(c);
      while (to === undefined && state !== 0) {
        state = this.fail[state]!;
        to = this.next[state]!.get(c);
      }
      state = to ?? 0;
      for (const id of this.out[state]!) {
        if (onHit(id, i + 1 - this.lengths[id]!, i + 1) === true) return true;
      }
    }
    return false;
  }
}
