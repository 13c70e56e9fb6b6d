#!/usr/bin/env node
// Runs the JavaScript that `npm install` compiled into dist/ (fast to start, light on memory); when
// any source file is newer than that build, runs the TypeScript sources through tsx instead, so an
// edited checkout never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';

const built = new URL('../dist/cli/bin.js', import.meta.url);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const url = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(url) : statSync(url).mtimeMs);
  }
  return newest;
}

if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(new URL('../src/', import.meta.url))) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/bin.ts');
}
