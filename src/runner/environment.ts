import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { holdBrowser, type HeldBrowser } from '../adapters/index.js';
import { locateChromium, type ChromiumOptions } from '../adapters/utils/chromium.js';
import { NPM_CHROMIUM_PACKAGE } from '../adapters/utils/chromium-npm.js';
import type { RunEnvironment, Target } from '../domain/types.js';
import { lazy } from '../util/lazy.js';

/**
 * govbench's own version. package.json sits two folders above this file in src/ and in dist/ alike; code
 * bundled elsewhere (a test's child process) finds it in the working folder, else says it does not know.
 */
export const govbenchVersion = lazy((): string => {
  for (const place of [new URL('../../package.json', import.meta.url), join(process.cwd(), 'package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(place, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'govbench' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not there, or not ours: the next place.
    }
  }
  return 'unknown';
});

/** Which browser `locateChromium` picks and by which rule, e.g. "/usr/bin/chromium (system)". */
export function chromiumSource(chromium: ChromiumOptions = {}): string {
  const choice = locateChromium(chromium);
  return choice.source === 'npm' ? `npm ${NPM_CHROMIUM_PACKAGE} ${choice.package.version}` : `${choice.executablePath} (${choice.source})`;
}

/** What a run records of the versions it ran with; `browser` only when it has widget targets. */
export function runEnvironment(browser?: { version: string | null; source: string }): RunEnvironment {
  const described = browser && (browser.version === null ? browser.source : `chromium ${browser.version} (${browser.source})`);
  return { govbench: govbenchVersion(), node: process.versions.node, ...(described !== undefined && { browser: described }) };
}

/** A run's environment, with the browser held (started) when widget targets will use it; release it when the run ends. */
export async function startEnvironment(targets: readonly Target[], chromium: ChromiumOptions = {}): Promise<{ environment: RunEnvironment; browser?: HeldBrowser }> {
  if (!targets.some((t) => t.adapter?.type === 'web-widget')) return { environment: runEnvironment() };
  const source = chromiumSource(chromium);
  const browser = await holdBrowser(chromium);
  return { environment: runEnvironment({ version: browser.version, source }), browser };
}
