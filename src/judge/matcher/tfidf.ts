/**
 * A small TF-IDF cosine index, built once; scoring walks postings only. Terms are interned to numbers
 * by a shared `Vocabulary`, so a query is hashed once however many indexes score it.
 */

export type TermBag = ReadonlyMap<string, number>;

/** Term → number, shared by the indexes that score the same queries. */
export class Vocabulary {
  private readonly ids = new Map<string, number>();

  get size(): number {
    return this.ids.size;
  }

  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) this.ids.set(term, (id = this.ids.size));
    return id;
  }

  /** A bag as a query: known terms by number; unknown ones only by their frequencies. */
  query(bag: TermBag): Query {
    const terms: number[] = [];
    const tfs: number[] = [];
    const unknown: number[] = [];
    for (const [t, tf] of bag) {
      if (tf <= 0) continue;
      const id = this.ids.get(t);
      if (id === undefined) unknown.push(tf);
      else {
        terms.push(id);
        tfs.push(tf);
      }
    }
    return { terms, tfs, unknown };
  }
}

export interface Query {
  terms: readonly number[];
  tfs: readonly number[];
  unknown: readonly number[];
}

interface Posting {
  idf: number;
  docs: Int32Array;
  /** Weight of the term in each of `docs`, divided by the document's norm. */
  weights: Float64Array;
}

const tfWeight = (tf: number) => (tf >= 1 ? 1 + Math.log(tf) : tf);

export class TfIdfIndex {
  readonly ids: readonly string[];
  /** Vocabulary number → index into `postings`, -1 for a term absent here (dense: no holey lookups). */
  private readonly local: Int32Array;
  private readonly postings: Posting[] = [];
  private readonly unknownIdf: number;

  constructor(docs: ReadonlyMap<string, TermBag>, vocab: Vocabulary) {
    this.ids = [...docs.keys()];
    const n = this.ids.length;
    this.unknownIdf = Math.log((n + 1) / 0.5);
    const df = new Map<string, number>();
    for (const bag of docs.values()) for (const t of bag.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    // Smoothed so a term in every document weighs almost nothing, never below zero.
    const idf = (t: string) => Math.log((n + 1) / (df.get(t)! + 0.5));
    const lists = new Map<string, Array<[number, number]>>();
    this.ids.forEach((id, i) => {
      const weights: Array<[string, number]> = [];
      let norm = 0;
      for (const [t, tf] of docs.get(id)!) {
        const w = tfWeight(tf) * idf(t);
        weights.push([t, w]);
        norm += w * w;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [t, w] of weights) {
        let list = lists.get(t);
        if (!list) lists.set(t, (list = []));
        list.push([i, w / norm]);
      }
    });
    const terms = [...lists.keys()].map((t) => vocab.intern(t));
    // Terms interned after this index was built are not in it: they fall outside `local`.
    this.local = new Int32Array(vocab.size).fill(-1);
    [...lists].forEach(([t, list], k) => {
      this.local[terms[k]!] = k;
      this.postings.push({ idf: idf(t), docs: Int32Array.from(list, ([d]) => d), weights: Float64Array.from(list, ([, w]) => w) });
    });
  }

  /** Cosine similarity of the query with every document, in `ids` order. */
  scores(query: Query): Float64Array {
    const out = new Float64Array(this.ids.length);
    let norm = 0;
    // Terms this index has never seen still count against similarity, as the rarest terms would.
    for (const tf of query.unknown) norm += (tfWeight(tf) * this.unknownIdf) ** 2;
    for (let q = 0; q < query.terms.length; q++) {
      const term = query.terms[q]!;
      const k = term < this.local.length ? this.local[term]! : -1;
      const p = k >= 0 ? this.postings[k] : undefined;
      const w = tfWeight(query.tfs[q]!) * (p ? p.idf : this.unknownIdf);
      norm += w * w;
      if (!p) continue;
      for (let k = 0; k < p.docs.length; k++) out[p.docs[k]!]! += w * p.weights[k]!;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = 0; i < out.length; i++) out[i]! *= inv;
    }
    return out;
  }
}
