import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A temporary file next to `file` (same folder, so a rename is atomic), hidden and unique to this process. */
function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
}

/**
 * Writes files so that none is ever seen half-written: each goes to a temporary file first, `check`
 * may inspect the temporary files, and only then are they renamed into place. When writing or the
 * check fails, the temporary files are removed and the targets are left as they were.
 */
export function writeFilesAtomic(files: ReadonlyMap<string, string>, check?: (temps: ReadonlyMap<string, string>) => void): void {
  const temps = new Map<string, string>();
  try {
    for (const [file, text] of files) {
      const temp = tempPathFor(file);
      temps.set(file, temp);
      writeFileSync(temp, text);
    }
    check?.(temps);
  } catch (err) {
    for (const temp of temps.values()) rmSync(temp, { force: true });
    throw err;
  }
  for (const [file, temp] of temps) renameSync(temp, file);
}
