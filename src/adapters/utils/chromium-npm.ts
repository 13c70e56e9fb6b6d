import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { brotliDecompress, createBrotliDecompress } from 'node:zlib';

/** A Chromium build shipped inside an npm package: the fallback when the machine has no browser. */
export const NPM_CHROMIUM_PACKAGE = '@sparticuz/chromium';

/** The installed package: where its compressed files are. */
export interface NpmChromium {
  /** @example '153.0.0' */
  version: string;
  /** The package's `bin/` folder: chromium.br and the fonts, swiftshader and al2023 archives. */
  binDir: string;
}

/** The package's files unpacked, ready to launch. */
interface UnpackedChromium {
  executablePath: string;
  /** NSS, NSPR and expat built for Amazon Linux 2023: a machine without them (a bare Debian) gets these. */
  libDir: string;
  /** The package's Latin fonts (Open Sans), for machines without any font. */
  fontDir: string;
}

/**
 * The package, when it is installed and its binary can run here: it holds one build, for Linux on
 * x64. Returns undefined otherwise; a missing package is an expected state, not an error.
 */
export function findNpmChromium(platform: NodeJS.Platform = process.platform, arch: string = process.arch): NpmChromium | undefined {
  if (platform !== 'linux' || arch !== 'x64') return undefined;
  const entry = resolveInstalled(NPM_CHROMIUM_PACKAGE);
  if (entry === undefined) return undefined;
  const root = join(dirname(entry), '..');
  const binDir = join(root, 'bin');
  if (!existsSync(join(binDir, 'chromium.br'))) return undefined;
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { version, binDir };
}

/**
 * Unpacks the package into a folder of this user and version under the temp folder, once.
 * Not the package's own `executablePath()`: that writes a fixed `/tmp/chromium` which another
 * process sees as ready while it is still being written (two test files starting at once fail
 * with ETXTBSY), which stays broken forever when the writer is killed, and which is mode 0700 for
 * whoever wrote it first. Here each process unpacks into a folder of its own and renames it into
 * place: the folder is complete whenever it exists, and the first to finish wins.
 */
export async function unpackNpmChromium(npm: NpmChromium): Promise<UnpackedChromium> {
  const dir = join(tmpdir(), `govbench-chromium-${npm.version}-${process.getuid?.() ?? 0}`);
  const unpacked: UnpackedChromium = { executablePath: join(dir, 'chromium'), libDir: join(dir, 'al2023', 'lib'), fontDir: join(dir, 'fonts', 'fonts') };
  if (existsSync(unpacked.executablePath)) return unpacked;

  const staging = `${dir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(staging, { recursive: true });
    // 200 MB unpacked: streamed, not held in memory.
    await pipeline(createReadStream(join(npm.binDir, 'chromium.br')), createBrotliDecompress(), createWriteStream(join(staging, 'chromium'), { mode: 0o755 }));
    // Chromium looks for SwiftShader's libGLESv2.so beside its binary.
    await untar(await unbrotli(join(npm.binDir, 'swiftshader.tar.br')), staging);
    await untar(await unbrotli(join(npm.binDir, 'fonts.tar.br')), join(staging, 'fonts'));
    await untar(await unbrotli(join(npm.binDir, 'al2023.tar.br')), join(staging, 'al2023'));
    // A folder left without its binary (a temp cleaner) would block the rename forever.
    if (existsSync(dir) && !existsSync(unpacked.executablePath)) await rm(dir, { recursive: true, force: true });
    await rename(staging, dir).catch((err: unknown) => {
      // Another process finished first: its folder is as good as ours.
      if (!existsSync(unpacked.executablePath)) throw err;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return unpacked;
}

/**
 * The package's recommended flags. Its module, when imported on AWS Lambda or Vercel, points
 * FONTCONFIG_PATH, HOME and LD_LIBRARY_PATH of the whole process at /tmp; the launch passes what
 * the browser needs in its own environment instead, so those are put back as they were.
 */
export async function npmChromiumArgs(): Promise<string[]> {
  const touched = ['FONTCONFIG_PATH', 'HOME', 'LD_LIBRARY_PATH'] as const;
  const before = touched.map((k) => process.env[k]);
  const { default: chromium } = await import('@sparticuz/chromium');
  touched.forEach((k, i) => {
    const v = before[i];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  });
  return chromium.args.filter((arg) => !DROPPED_ARGS.some((d) => arg.startsWith(d)));
}

/**
 * Flags of the package left out. Playwright sets headless mode itself. A single process is what
 * Lambda's sandbox needs; elsewhere it lets one crashing page take every conversation down. The
 * web-security and insecure-content flags change what a page may do: a widget must behave as it
 * does in a citizen's browser.
 */
const DROPPED_ARGS = ['--headless', '--single-process', '--disable-web-security', '--allow-running-insecure-content'];

const unbrotliBuffer = promisify(brotliDecompress);

async function unbrotli(file: string): Promise<Buffer> {
  return unbrotliBuffer(await readFile(file));
}

/**
 * Extracts the files and folders of a ustar archive, as the package's small archives are (a few
 * MB). Other entry types (links, devices) are refused rather than half-extracted.
 */
async function untar(tar: Buffer, into: string): Promise<void> {
  const field = (header: Buffer, at: number, length: number): string => header.toString('utf8', at, at + length).replace(/\0.*$/s, '').trim();
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    const name = field(header, 0, 100);
    // The archive ends with zero blocks.
    if (!name) return;
    const size = parseInt(field(header, 124, 12) || '0', 8);
    const mode = parseInt(field(header, 100, 8) || '644', 8) & 0o777;
    const type = field(header, 156, 1) || '0';
    const path = normalize(join(into, field(header, 345, 155), name));
    if (!path.startsWith(into + sep)) throw new Error(`${NPM_CHROMIUM_PACKAGE}: archive entry ${name} points outside its folder`);
    if (type === '5') {
      await mkdir(path, { recursive: true });
    } else if (type === '0') {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, tar.subarray(at + 512, at + 512 + size), { mode });
    } else if (type !== 'x' && type !== 'g') {
      // x and g are pax headers: extended attributes this use does not need.
      throw new Error(`${NPM_CHROMIUM_PACKAGE}: archive entry ${name} has type ${type}, which is not a file or a folder`);
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

/** The entry file of an installed package, or undefined when it is not installed. */
export function resolveInstalled(name: string): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}
