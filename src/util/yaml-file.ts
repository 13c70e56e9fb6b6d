import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import type { SourcePos } from '../domain/types.js';
import { InputErrors, UserError, type InputProblem } from './errors.js';

/** A parsed YAML file that can say where any path inside it came from. */
export interface YamlFile {
  file: string;
  data: unknown;
  /** Where the value at `path` starts; with `atKey`, where its key starts. */
  posOf(path: readonly PropertyKey[], atKey?: boolean): SourcePos;
}

/** Paths in messages are relative to the working directory, as a user typed them. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/**
 * The YAML files paths name: a file itself, or the `*.yaml` / `*.yml` directly inside a folder, sorted.
 * @param what what the files hold, for the message about a path that does not exist (`bank`, …)
 */
export function expandYamlPaths(paths: readonly string[], what: string, hint?: string): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new UserError(`${displayPath(p)}: no such ${what} file or folder`, hint);
    }
    if (!isDir) files.push(p);
    else
      files.push(
        ...readdirSync(p)
          .filter((f) => /\.ya?ml$/i.test(f))
          .sort()
          .map((f) => join(p, f)),
      );
  }
  return files;
}

export function readYamlFile(file: string): YamlFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${displayPath(file)}: cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseYamlText(text, displayPath(file));
}

export function parseYamlText(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.2' });
  const at = (offset: number): SourcePos => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  if (doc.errors.length > 0) {
    throw new InputErrors(
      doc.errors.map((e) => ({ pos: at(e.pos[0]), field: '', message: `invalid YAML: ${firstLine(e.message)}` })),
    );
  }
  const posOf = (path: readonly PropertyKey[], atKey = false): SourcePos => {
    let node: unknown = doc.contents;
    let best = offsetOf(node) ?? 0;
    for (const [i, key] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => scalarValue(p.key) === key);
        if (!pair) break;
        best = offsetOf(pair.key) ?? best;
        if (atKey && i === path.length - 1) break;
        node = pair.value;
        best = offsetOf(node) ?? best;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        best = offsetOf(node) ?? best;
      } else break;
    }
    return at(best);
  };
  return { file, data: doc.toJS({ maxAliasCount: 100 }), posOf };
}

/** Validates parsed YAML against a schema, turning every zod issue into file:line:column, field, expectation. */
export function validateYaml<S extends z.ZodType>(yaml: YamlFile, schema: S): z.output<S> {
  const top = topLevelProblem(yaml, schema);
  if (top) throw new InputErrors([top]);
  const result = schema.safeParse(yaml.data);
  if (result.success) return result.data;
  const problems: InputProblem[] = result.error.issues.map((issue) => {
    // Point at the unknown key itself rather than at the object that holds it.
    const unknownKey = issue.code === 'unrecognized_keys';
    const path = unknownKey ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    return { pos: yaml.posOf(path, unknownKey), field: formatPath(path), message: issue.message };
  });
  throw new InputErrors(problems);
}

/**
 * An empty file or a bare list where a mapping belongs: zod would say "expected object, received null"
 * with no field to point at, so name the keys the file needs instead.
 */
function topLevelProblem(yaml: YamlFile, schema: z.ZodType): InputProblem | undefined {
  const data = yaml.data;
  if (!(schema instanceof z.ZodObject) || (data !== null && typeof data === 'object' && !Array.isArray(data))) return undefined;
  const required = Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([key]) => `${key}:`);
  const found = data === null || data === undefined ? 'the file is empty' : `found ${Array.isArray(data) ? 'a list' : `a ${typeof data}`}`;
  return { pos: yaml.posOf([]), field: '', message: `${found}; expected a mapping with ${required.join(', ')}` };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function offsetOf(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}

function scalarValue(node: unknown): unknown {
  return node && typeof node === 'object' && 'value' in node ? (node as { value: unknown }).value : node;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
