import { JSONPath } from 'jsonpath-plus';

/**
 * The class jsonpath-plus compiles `?(…)` filters and `[(…)]` scripts with under its default
 * `eval: 'safe'` (a jsep parser): compiling with it accepts exactly what a run will evaluate.
 */
type ScriptClass = new (code: string) => unknown;
const SafeScript = (JSONPath as unknown as { prototype: { safeVm: { Script: ScriptClass } } }).prototype.safeVm.Script;

const CLOSERS: Readonly<Record<string, string>> = { ']': '[', ')': '(' };

/**
 * Why a `reply` / `session` path cannot work, or `undefined` when it parses. jsonpath-plus never
 * rejects a path — it reads `$.data[0` as `$.data[0]` and compiles a filter only when a reply reaches
 * it — so without this check a typo surfaces as an empty reply or a crash on every case of a run.
 */
export function jsonPathProblem(path: string): string | undefined {
  if (!path.startsWith('$')) return 'expected a JSONPath starting with $, such as $.data.answer';
  if (path.length > 1 && path[1] !== '.' && path[1] !== '[') return 'expected "." or "[" after "$", such as $.data.answer';
  const unbalanced = bracketProblem(path);
  if (unbalanced) return unbalanced;
  if (path.endsWith('.')) return 'expected a member name after the final "."';
  for (const part of JSONPath.toPathArray(path)) {
    const code = scriptOf(part);
    if (code === undefined) continue;
    try {
      new SafeScript(code);
    } catch (err) {
      return `expression [${part}] does not parse: ${(err as Error).message}`;
    }
  }
  return undefined;
}

/** The first bracket, parenthesis or quote left open or closed without an opener; quoted text is skipped. */
function bracketProblem(path: string): string | undefined {
  const open: { char: string; at: number }[] = [];
  let quote: { char: string; at: number } | undefined;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote.char) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = { char: c, at: i };
    else if (c === '[' || c === '(') open.push({ char: c, at: i });
    else if (c in CLOSERS) {
      if (open.pop()?.char !== CLOSERS[c]) return `unexpected "${c}" at character ${i + 1}`;
    }
  }
  const left = quote ?? open.at(-1);
  return left ? `"${left.char}" at character ${left.at + 1} is never closed` : undefined;
}

/** The code jsonpath-plus hands its script engine for a path part, with `@` names rewritten as it does. */
function scriptOf(part: string): string | undefined {
  let code: string;
  if (part.startsWith('?(') && part.endsWith(')')) code = part.slice(2, -1);
  else if (part.startsWith('(') && part.endsWith(')')) code = part;
  else return undefined;
  return code
    .replaceAll('@parentProperty', '_$_parentProperty')
    .replaceAll('@parent', '_$_parent')
    .replaceAll('@property', '_$_property')
    .replaceAll('@root', '_$_root')
    .replaceAll('@path', '_$_path')
    .replace(/@([.\s)[])/gu, '_$_v$1');
}
