import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from './errors.js';

/**
 * A file shipped with govbench (`judges/…`), found by walking up from the calling module to the project
 * root: the same path works from `src/` under tsx and from `dist/` once built.
 * @example shippedFile(import.meta.url, 'judges/conversation.yaml')
 */
export function shippedFile(moduleUrl: string, relative: string, hint?: string): string {
  const here = dirname(fileURLToPath(moduleUrl));
  let dir = here;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new UserError(`cannot find ${relative} above ${here}`, hint);
}
