import { ALIAS_STYLE_PREFIX, aliasVariant, type CaseRecord } from '../domain/types.js';

/**
 * How well a target understands one name of a matter (issue 15, `run --aliases`): of the alias cases
 * that asked with this name, how many answers recognized the intent.
 */
export interface AliasRecognition {
  /** Matter id. */
  matter: string;
  /** The name asked. @example "钓鱼证" */
  alias: string;
  /** The name is the matter's official one. */
  official: boolean;
  /** Alias cases with this name that were answered and judged. */
  asked: number;
  /** Of those, the answers that recognized the intent. */
  recognized: number;
  /** `recognized ÷ asked × 100`; null when none was judged. */
  share: number | null;
}

type Tally = Omit<AliasRecognition, 'share'>;

/**
 * Folds alias cases into per-target, per-name counts as they stream by. Only judged answers count: a
 * technical failure says nothing of whether the name was understood, and an abstaining judge's guess
 * waits for review like everywhere else.
 */
export class AliasTally {
  private readonly byTarget = new Map<string, Map<string, Tally>>();

  add(r: CaseRecord): void {
    if (!r.style.startsWith(ALIAS_STYLE_PREFIX) || !r.available) return;
    const v = r.verdict;
    if (v?.status !== 'judged' || v.uncertain !== undefined) return;
    const alias = r.style.slice(ALIAS_STYLE_PREFIX.length);
    let names = this.byTarget.get(r.targetId);
    if (!names) this.byTarget.set(r.targetId, (names = new Map()));
    const key = `${r.matterId}\u0000${alias}`;
    let t = names.get(key);
    if (!t) names.set(key, (t = { matter: r.matterId, alias, official: r.variant === aliasVariant(0), asked: 0, recognized: 0 }));
    t.asked += 1;
    if (v.intentRecognized) t.recognized += 1;
  }

  /** A target's names by matter, the official name first, then the aliases by name. */
  of(targetId: string): AliasRecognition[] {
    const names = [...(this.byTarget.get(targetId)?.values() ?? [])];
    names.sort((a, b) => cmp(a.matter, b.matter) || Number(b.official) - Number(a.official) || cmp(a.alias, b.alias));
    return names.map((t) => ({ ...t, share: t.asked === 0 ? null : (t.recognized / t.asked) * 100 }));
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
