import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveInstalled } from './chromium-npm.js';

/** Noto Sans SC ("Noto Sans Hans"), installed by npm: Chinese in screenshots on machines without a CJK font. */
const CJK_FONT_PACKAGE = '@embedpdf/fonts-sc';

/** The CJK font folder, or undefined when the package is not installed. */
function findCjkFontDir(): string | undefined {
  const entry = resolveInstalled(CJK_FONT_PACKAGE);
  if (entry === undefined) return undefined;
  const fonts = join(dirname(entry), '..', 'fonts');
  return existsSync(fonts) ? fonts : undefined;
}

/**
 * Writes a fontconfig file for a launched Chromium: the system's configuration and fonts as they
 * are, plus the CJK font from npm and `extraDirs`. It goes to the browser through FONTCONFIG_FILE
 * in the launch environment, so nothing else in this process or on the machine changes. The file
 * is named by its content: clones in other folders get their own, and rewriting is never needed.
 * Returns its path.
 */
export async function writeFontConfig(extraDirs: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const root = join(tmpdir(), `govbench-fontconfig-${process.getuid?.() ?? 0}`);
  const cjk = findCjkFontDir();
  const dirs = ['/usr/share/fonts', '/usr/local/share/fonts', ...(cjk ? [cjk] : []), ...extraDirs];
  const xml = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    '<!-- Written by govbench for the Chromium it launches (src/adapters/utils/chromium-fonts.ts). -->',
    '<fontconfig>',
    // First, so that the font caches are written here rather than beside the fonts in node_modules.
    `  <cachedir>${escapeXml(join(root, 'cache'))}</cachedir>`,
    `  <include ignore_missing="yes">${escapeXml(env.FONTCONFIG_FILE ?? '/etc/fonts/fonts.conf')}</include>`,
    // Listed again for a machine without /etc/fonts (and for a Chromium whose fontconfig is built in).
    ...dirs.map((d) => `  <dir>${escapeXml(d)}</dir>`),
    '</fontconfig>',
    '',
  ].join('\n');
  const file = join(root, `fonts-${createHash('sha256').update(xml).digest('hex').slice(0, 16)}.conf`);
  if (!existsSync(file)) {
    await mkdir(root, { recursive: true });
    // Written whole, then renamed: a browser started meanwhile by another process never reads half a file.
    const partial = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
    await writeFile(partial, xml);
    await rename(partial, file);
  }
  return file;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
