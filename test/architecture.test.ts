/**
 * The house rules of src/, read from the source itself: no import circles, folders that depend in one
 * direction only, files small enough to read, and SQLite kept in the store. Each failure lists exactly
 * the offending files, so the fix is in the message.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');
const MAX_LINES = 400;

/**
 * Which folders of src/ each folder may import: the folder graph as it stands, read as layers from the
 * bottom up (SPEC §1). `domain` holds the types every part shares and imports nothing; `text` (Chinese
 * text handling and the sanitizer) and `util` are plumbing; `config` reads the files users write;
 * `adapters`, `banks`, `demo` and `scoring` build on those; the judges read the banks; the store keeps
 * runs and asks `judge` only which verdict counts in a judge mode; `reports` render scores and stored
 * runs, and the `runner` drives adapters, judges and the demo fleet — both through the domain's `Store`
 * contract, never the store folder; `detect` finds a portal's chat and proves it through the web-widget
 * adapter; `tui` and `cli` are the top, the only parts that open a store, and
 * only the CLI starts the TUI. Nothing imports upward: a new edge here must keep these layers free of circles
 * (a test below checks that they are).
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  domain: [],
  text: [],
  util: ['domain'],
  config: ['domain', 'util'],
  adapters: ['domain', 'config', 'util'],
  banks: ['domain', 'util', 'text'],
  demo: ['domain', 'util', 'config'],
  scoring: ['domain', 'util'],
  judge: ['domain', 'util', 'config', 'text', 'banks'],
  store: ['domain', 'judge', 'util'],
  reports: ['domain', 'scoring', 'judge', 'util', 'text'],
  citizens: ['domain', 'util', 'config', 'text'],
  runner: ['domain', 'adapters', 'config', 'judge', 'util', 'banks', 'demo', 'text', 'citizens'],
  detect: ['domain', 'adapters', 'config', 'util', 'text'],
  tui: ['store', 'domain', 'reports', 'scoring', 'config', 'banks', 'runner', 'util', 'judge', 'text'],
  cli: ['banks', 'util', 'config', 'domain', 'judge', 'text', 'runner', 'reports', 'store', 'demo', 'adapters', 'tui', 'detect'],
};

interface SourceFile {
  /** Path under src/, with forward slashes. */
  path: string;
  text: string;
  /** Files of src/ it imports (statically, dynamically or for types), as paths under src/. */
  imports: string[];
  /** Module specifiers that are not relative: packages and `node:` modules. */
  packages: string[];
}

const rel = (abs: string): string => relative(SRC, abs).split('\\').join('/');
const folderOf = (path: string): string => path.split('/')[0]!;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return listFiles(p);
    return /\.(ts|tsx|mts|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** A relative specifier as ESM writes it (`./x.js`) to the file it names (`x.ts`, `x.tsx`, …). */
function resolveSpecifier(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.m?js$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && candidate.startsWith(SRC) && /\.(ts|tsx|mts|mjs)$/.test(candidate)) return candidate;
  }
  return null;
}

function readSources(): SourceFile[] {
  return listFiles(SRC)
    .map((abs) => {
      const text = readFileSync(abs, 'utf8');
      const imports: string[] = [];
      const packages: string[] = [];
      for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
        if (!fileName.startsWith('.')) packages.push(fileName);
        else {
          const target = resolveSpecifier(abs, fileName);
          if (target) imports.push(rel(target));
        }
      }
      return { path: rel(abs), text, imports, packages };
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

const sources = readSources();

/** Strongly connected groups of more than one node (or a node pointing at itself): each holds a circle. */
function circlesOf(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || edges.get(v)!.includes(v)) circles.push(group.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return circles.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** Text of every string and template literal, with `?` where a template substitutes a value. */
function literals(file: SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    else if (ts.isTemplateExpression(node)) out.push(node.head.text + node.templateSpans.map((s) => `?${s.literal.text}`).join(''));
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true));
  return out;
}

const SQL =
  /\b(?:SELECT\b[\s\S]*?\bFROM|INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TEMP\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)|ALTER\s+TABLE|DROP\s+(?:TABLE|INDEX|VIEW)|PRAGMA\s+\w+|BEGIN\s+(?:IMMEDIATE|EXCLUSIVE|TRANSACTION))\b/i;

describe('the architecture of src/', () => {
  it('reads the source it checks', () => {
    expect(sources.length).toBeGreaterThan(100);
    const adapters = sources.find((f) => f.path === 'adapters/index.ts')!;
    expect(adapters.imports).toContain('adapters/http-json.ts');
    expect(adapters.imports).toContain('adapters/web-widget.ts');
  });

  it('has no import circle between files', () => {
    expect(circlesOf(new Map(sources.map((f) => [f.path, f.imports])))).toEqual([]);
  });

  it('has every folder import only the folders the layering allows', () => {
    const against = sources.flatMap((f) =>
      f.imports
        .filter((to) => folderOf(to) !== folderOf(f.path) && !(ALLOWED[folderOf(f.path)] ?? []).includes(folderOf(to)))
        .map((to) => `${f.path} imports ${to} (${folderOf(f.path)} → ${folderOf(to)})`),
    );
    expect(against).toEqual([]);
  });

  it('places every folder in the layering, and the layering has no circle', () => {
    const folders = [...new Set(sources.map((f) => folderOf(f.path)))].filter((f) => !/\.\w+$/.test(f));
    expect(folders.filter((f) => !(f in ALLOWED))).toEqual([]);
    expect(circlesOf(new Map(Object.entries(ALLOWED)))).toEqual([]);
  });

  it(`keeps every file at ${MAX_LINES} lines or fewer`, () => {
    const long = sources.map((f) => ({ path: f.path, lines: f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0) })).filter((f) => f.lines > MAX_LINES);
    expect(long.map((f) => `${f.path}: ${f.lines} lines`)).toEqual([]);
  });

  it('keeps better-sqlite3 and SQL inside src/store/', () => {
    const outside = sources.filter((f) => folderOf(f.path) !== 'store');
    expect(outside.filter((f) => f.packages.includes('better-sqlite3')).map((f) => f.path)).toEqual([]);
    const statements = (f: SourceFile): string[] => (SQL.test(f.text) ? literals(f).filter((s) => SQL.test(s)) : []);
    expect(outside.flatMap((f) => statements(f).map((s) => `${f.path}: ${s.trim().slice(0, 60)}`))).toEqual([]);
    // The same check sees the store's own statements.
    const migrations = sources.find((f) => f.path === 'store/sqlite/migrations.ts');
    expect(migrations, 'src/store/sqlite/migrations.ts').toBeDefined();
    expect(statements(migrations!).length).toBeGreaterThan(0);
  });
});
