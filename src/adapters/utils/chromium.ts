/**
 * Which Chromium govbench drives, and how it is launched: the one place that decides. Cheap to
 * import (Playwright is loaded only by `launchChromium`), so `validate` and `run` can ask early.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import type { Browser, LaunchOptions } from 'playwright-core';
import { UserError } from '../../util/errors.js';
import { AdapterError, firstLine } from './adapter-error.js';
import { writeFontConfig } from './chromium-fonts.js';
import { findNpmChromium, npmChromiumArgs, NPM_CHROMIUM_PACKAGE, unpackNpmChromium, type NpmChromium } from './chromium-npm.js';

/** The environment variable naming a browser binary; `browser.executablePath` in a run config wins over it. */
export const CHROMIUM_ENV = 'GOVBENCH_CHROMIUM';

/**
 * As root on a closed network: no sandbox, no GPU, and none of Chromium's own traffic.
 * `--headless` comes from the launch option.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export interface ChromiumOptions {
  /**
   * `browser.executablePath` of the run config: this browser and no other.
   * @example '/opt/google/chrome/chrome'
   */
  executablePath?: string;
  /** Where GOVBENCH_CHROMIUM and the Windows install folders are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** @default process.platform */
  platform?: NodeJS.Platform;
  /** @default process.arch */
  arch?: string;
  /** Installed browsers to look for, in order. @default systemChromiumPaths(platform, env) */
  systemPaths?: readonly string[];
}

/** The browser chosen, by the first rule that found one. */
type ChromiumChoice =
  | { source: 'config' | 'env' | 'system'; executablePath: string; label: string }
  | { source: 'npm'; package: NpmChromium; label: string };

/** Where Chrome, Chromium and Edge install themselves, most specific first. */
export function systemChromiumPaths(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'darwin') {
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'];
    const folders = ['/Applications', ...(env.HOME ? [posix.join(env.HOME, 'Applications')] : [])];
    return folders.flatMap((f) => apps.map((a) => posix.join(f, a)));
  }
  if (platform === 'win32') {
    const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
    const exes = ['Google\\Chrome\\Application\\chrome.exe', 'Chromium\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe'];
    return exes.flatMap((e) => roots.map((r) => win32.join(r, e)));
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/usr/bin/microsoft-edge-stable',
    '/snap/bin/chromium',
    '/opt/google/chrome/chrome',
    '/opt/microsoft/msedge/msedge',
  ];
}

/**
 * Picks the browser, in this order: the run config's `browser.executablePath`, then
 * GOVBENCH_CHROMIUM (either must exist: a path someone set is never silently passed over); an
 * installed Chrome, Chromium or Edge; the Chromium inside the npm package. Throws a UserError
 * saying what to install or set when there is none. Touches no browser: unpacking waits for launch.
 */
export function locateChromium(opts: ChromiumOptions = {}): ChromiumChoice {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const explicit = opts.executablePath
    ? { source: 'config' as const, path: opts.executablePath, setting: 'browser.executablePath in the run config' }
    : env[CHROMIUM_ENV]
      ? { source: 'env' as const, path: env[CHROMIUM_ENV], setting: CHROMIUM_ENV }
      : undefined;
  if (explicit) {
    if (!isExecutableFile(explicit.path)) {
      throw new UserError(`${explicit.setting} names ${explicit.path}, which is not an executable file: point it at a Chrome or Chromium binary, or remove it to let govbench find one.`);
    }
    return { source: explicit.source, executablePath: explicit.path, label: `${explicit.path} (from ${explicit.setting})` };
  }
  const installed = (opts.systemPaths ?? systemChromiumPaths(platform, env)).find(isExecutableFile);
  if (installed) return { source: 'system', executablePath: installed, label: `${installed} (installed on this machine; ${CHROMIUM_ENV} chooses another)` };
  const npm = findNpmChromium(platform, opts.arch ?? process.arch);
  if (npm) {
    return { source: 'npm', package: npm, label: `Chromium from the npm package ${NPM_CHROMIUM_PACKAGE} ${npm.version} (no browser installed here; ${CHROMIUM_ENV} chooses another)` };
  }
  throw new UserError(
    `no Chrome or Chromium for web-widget targets: install one (Google Chrome, or \`apt-get install chromium\`) or set ${CHROMIUM_ENV} or browser.executablePath in the run config to its binary.`,
  );
}

/**
 * How to launch the chosen browser: its binary (the npm one unpacked on first use), our flags
 * (merged with the npm package's own), and an environment that adds a fontconfig file with a
 * CJK font, so screenshots show Chinese rather than boxes, and for the npm build, its libraries.
 */
async function chromiumLaunchOptions(choice: ChromiumChoice, platform: NodeJS.Platform = process.platform): Promise<LaunchOptions> {
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  if (choice.source === 'npm') {
    const unpacked = await unpackNpmChromium(choice.package);
    const args = [...new Set([...(await npmChromiumArgs()), ...CHROMIUM_ARGS])];
    const libraryPath = [unpacked.libDir, ...(env.LD_LIBRARY_PATH ? [env.LD_LIBRARY_PATH] : [])].join(':');
    const fontconfig = await writeFontConfig([unpacked.fontDir]);
    return { executablePath: unpacked.executablePath, headless: true, args, env: { ...env, FONTCONFIG_FILE: fontconfig, LD_LIBRARY_PATH: libraryPath } };
  }
  // macOS and Windows browsers find fonts without fontconfig, and those systems ship CJK fonts.
  const fontEnv = platform === 'linux' ? { FONTCONFIG_FILE: await writeFontConfig() } : {};
  return { executablePath: choice.executablePath, headless: true, args: [...CHROMIUM_ARGS], env: { ...env, ...fontEnv } };
}

/**
 * Starts the browser `locateChromium` picks. A non-persistent launch gets a new, empty profile
 * directory that Playwright removes on close. Fails with an AdapterError naming the browser.
 */
export async function launchChromium(opts: ChromiumOptions = {}): Promise<Browser> {
  let choice: ChromiumChoice;
  try {
    choice = locateChromium(opts);
  } catch (err) {
    if (err instanceof UserError) throw new AdapterError('browser', err.message, { cause: err });
    throw err;
  }
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch(await chromiumLaunchOptions(choice, opts.platform));
  } catch (err) {
    throw new AdapterError('browser', `could not start ${choice.label}: ${firstLine(err)}`, { cause: err });
  }
}

function isExecutableFile(path: string): boolean {
  try {
    // X_OK is existence on Windows, where any file may be run.
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    // Not there, or not ours to run: the next place is tried.
    return false;
  }
}
