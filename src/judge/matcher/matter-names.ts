/**
 * Where an answer names a loaded matter (its name or an alias), and where it names a neighbour of the
 * asked matter that no bank holds: the asked matter's head noun (许可证, 通行证, 驾驶证) qualified
 * otherwise than any of its names qualify it. Built from the banks; no matter is known in code.
 */
import { OUT_OF_SCOPE, type Matter } from '../../domain/types.js';
import { cleanText, normalize } from '../../text/normalize.js';
import { segment } from '../../text/segment.js';
import { compilePatternSet, type MatchForms, type PatternSet } from './text-pattern.js';

/** A matter's names as the answer's matching form spells them. */
interface MatterEntry {
  id: string;
  names: PatternSet;
  /** Normalised names and aliases. */
  spelled: readonly string[];
  /**
   * The last word of each name (许可证, 通行证), two characters or more, with what the names put before
   * it; a head ending in 证 also without it (许可), since answers drop it (林木采伐许可).
   */
  heads: ReadonlyArray<{ head: string; qualifiers: readonly string[] }>;
}

interface NeighbourMention {
  /** The qualified head as written, with as many characters before the head as the name's qualifier has. */
  text: string;
}

export class MatterNames {
  private readonly entries: MatterEntry[];
  private readonly all: PatternSet;
  private readonly owner: string[];
  /** Per matter, the names of every other matter, compiled on first use. */
  private readonly others = new Map<string, PatternSet>();

  constructor(matters: readonly Matter[]) {
    // Out-of-scope has no name a citizen would use: its "aliases" are labels of kinds of request.
    this.entries = matters.filter((m) => m.id !== OUT_OF_SCOPE).map((m) => {
      const spelled = [...new Set([m.name, ...m.aliases].map((n) => normalize(cleanText(n))).filter((n) => n.length >= 2))];
      const heads = new Map<string, Set<string>>();
      const add = (head: string, qualifier: string) => heads.set(head, (heads.get(head) ?? new Set()).add(qualifier));
      for (const name of spelled) {
        const words = segment(name);
        const last = words[words.length - 1];
        if (!last || last.length < 2 || last === name) continue;
        const qualifier = name.slice(0, name.length - last.length);
        add(last, qualifier);
        if (last.endsWith('证') && last.length >= 3) add(last.slice(0, -1), qualifier);
      }
      return {
        id: m.id,
        names: compilePatternSet(spelled),
        spelled,
        heads: [...heads].map(([head, qualifiers]) => ({ head, qualifiers: [...qualifiers] })),
      };
    });
    this.owner = this.entries.flatMap((e) => e.spelled.map(() => e.id));
    this.all = compilePatternSet(this.entries.flatMap((e) => e.spelled));
  }

  /** Ids of the matters a text names. */
  named(forms: MatchForms): Set<string> {
    const out = new Set<string>();
    this.all.matches(forms).forEach((hit, i) => {
      if (hit === 1) out.add(this.owner[i]!);
    });
    return out;
  }

  /**
   * Mentions of the asked matter's head noun that are qualified otherwise than every name of the matter
   * (申领机动车号牌 where the names say 临时机动车号牌): a neighbouring matter the banks do not hold.
   * A bare head (办理许可证) is no evidence either way and is not returned.
   */
  neighbours(matterId: string, plain: string): NeighbourMention[] {
    const entry = this.entries.find((e) => e.id === matterId);
    if (!entry || entry.heads.length === 0) return [];
    const out: NeighbourMention[] = [];
    for (const { head, qualifiers } of entry.heads) {
      for (let at = plain.indexOf(head); at >= 0; at = plain.indexOf(head, at + 1)) {
        if (entry.spelled.some((n) => coveredBy(plain, at, head, n))) continue;
        // Qualified otherwise: the text before the head ends with part of a name's qualifier but not all of
        // it (机动车号牌 where the name says 临时机动车号牌). A qualifier sharing nothing is no evidence: it
        // may be a verb (办理号牌).
        const partial = qualifiers.find((q) => {
          const shared = commonSuffix(plain.slice(Math.max(0, at - q.length), at), q);
          return shared > 0 && shared < q.length;
        });
        if (partial !== undefined) out.push({ text: plain.slice(Math.max(0, at - partial.length), at) + head });
      }
    }
    return out;
  }

  /** True when the text names any matter but this one (one scan that stops at the first name). */
  namesOther(matterId: string, forms: MatchForms): boolean {
    let others = this.others.get(matterId);
    if (!others) {
      others = compilePatternSet(this.entries.filter((e) => e.id !== matterId).flatMap((e) => e.spelled));
      this.others.set(matterId, others);
    }
    return others.test(forms);
  }

  /** True when the text names the matter by one of its names. */
  names(matterId: string, forms: MatchForms): boolean {
    return this.entries.find((e) => e.id === matterId)?.names.test(forms) ?? false;
  }
}

/** True when the occurrence of `head` at `at` lies inside an occurrence of the name `name`. */
function coveredBy(plain: string, at: number, head: string, name: string): boolean {
  for (let i = name.indexOf(head); i >= 0; i = name.indexOf(head, i + 1)) {
    if (at - i >= 0 && plain.startsWith(name, at - i)) return true;
  }
  return false;
}

function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}
