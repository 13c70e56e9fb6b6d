import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { createBrowserHost } from '../../adapters/utils/browser.js';
import { locateChromium } from '../../adapters/utils/chromium.js';
import { replaceTargetAdapter } from '../../config/registry-edit.js';
import { loadRunConfig } from '../../config/run-config.js';
import { detectChat, type Blocked, type DetectResult } from '../../detect/detect.js';
import { REGIONS, type RegionId } from '../../domain/types.js';
import { oneLine } from '../../text/sanitize.js';
import { UserError } from '../../util/errors.js';
import { EXIT } from '../../util/exit-codes.js';
import { displayPath } from '../../util/yaml-file.js';

interface DetectCommandOptions {
  question?: string;
  id?: string;
  name?: string;
  region?: string;
  json?: boolean;
  write?: string;
  screenshots?: string;
  config?: string;
}

/** Neutral, and about no particular matter: any government-service bot should answer it. */
const DEFAULT_QUESTION = '请问办理政务服务事项需要准备哪些材料？';
const DEFAULT_SCREENSHOTS = 'results/screenshots';

/**
 * `govbench detect <url>`: finds the chat on a portal page by itself, proves it by asking through the
 * web-widget adapter, and prints a target stanza (or JSON), or fills a registry entry in place with
 * `--write`. Exit 0 when a reply was captured, 1 when no chat could be driven, 2 for bad input.
 */
export async function detectCommand(url: string, flags: DetectCommandOptions): Promise<void> {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UserError(`"${url}" is not an http(s) URL`, 'give the address of the portal page that shows the chat, e.g. https://www.example.gov.cn/');
  }
  if (flags.write && !flags.id) throw new UserError('--write needs --id: the id of the registry entry to fill in');
  if (flags.region !== undefined && !(REGIONS as readonly string[]).includes(flags.region)) {
    throw new UserError(`--region ${flags.region} is not a region`, `expected one of ${REGIONS.join(', ')}`);
  }
  const question = flags.question ?? DEFAULT_QUESTION;
  if (question.trim() === '') throw new UserError('--question is empty; expected the text to ask the chat');
  // Read before the browser starts, so that a missing file fails fast and nothing is asked.
  const registry = flags.write ? { file: resolve(flags.write), text: readRegistry(resolve(flags.write)) } : undefined;
  if (registry && flags.id) replaceTargetAdapter(registry.text, registry.file, flags.id, { type: 'web-widget', url, steps: [], selectors: { input: 'x', botMessage: 'x' }, quietMs: 0 });
  const chromium = flags.config ? loadRunConfig(flags.config).browser : undefined;
  locateChromium(chromium);
  if (!flags.json) process.stderr.write(`looking for the chat on ${url}\n`);
  const browser = createBrowserHost(chromium);
  let result: DetectResult;
  try {
    result = await detectChat({ url, question, browser, screenshotDir: flags.screenshots ?? DEFAULT_SCREENSHOTS });
  } finally {
    await browser.close();
  }
  const id = flags.id ?? idFromUrl(url);
  const name = flags.name ?? (result.title || id);
  if (registry && result.ok && result.adapter) {
    const updated = replaceTargetAdapter(registry.text, registry.file, id, result.adapter);
    const temp = `${registry.file}.govbench-tmp`;
    writeFileSync(temp, updated);
    renameSync(temp, registry.file);
  }
  if (flags.json) {
    const { title: _title, adapter, ...rest } = result;
    process.stdout.write(`${JSON.stringify({ ...rest, target: adapter ? { id, name, adapter } : null }, null, 2)}\n`);
  } else {
    process.stdout.write(renderDetect(result, { id, name, region: flags.region as RegionId | undefined, written: registry && result.ok ? registry.file : undefined }));
  }
  process.exitCode = result.ok ? EXIT.done : EXIT.notReady;
}

function readRegistry(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`${displayPath(file)}: no such targets file`, 'point --write at a registry such as targets/key-cities.yaml');
  }
}

/** A target id from the host name: `www.sz.gov.cn` → `sz-gov-cn`. */
function idFromUrl(url: string): string {
  return new URL(url).hostname.replace(/^www\./, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase() || 'portal';
}

const BLOCKED_WORDS: Readonly<Record<Blocked, string>> = {
  captcha: 'a captcha stands before the chat',
  login: 'the chat asks to log in first',
  handoff: 'the bot hands questions to a human agent',
  expired: 'the bot says the session expired',
};

interface StanzaOptions {
  id: string;
  name: string;
  region: RegionId | undefined;
  written: string | undefined;
}

/** What a person reads: the notes, the probe's reply, and the stanza to paste (or where it was written). */
export function renderDetect(r: DetectResult, o: StanzaOptions): string {
  const lines = r.notes.map((n) => `  · ${oneLine(n)}`);
  if (r.probe.reply !== null) lines.push(`  probe: ${oneLine(r.probe.question)}`, `  reply (${r.probe.firstReplyMs} ms to the first text): ${oneLine(r.probe.reply).slice(0, 200)}`);
  if (r.screenshot) lines.push(`  screenshot: ${r.screenshot}`);
  if (!r.ok || !r.adapter) {
    const why = r.blocked ? `blocked: ${BLOCKED_WORDS[r.blocked]}` : 'no chat could be driven';
    return `${lines.join('\n')}\n✗ ${why}\n`;
  }
  if (o.written) return `${lines.join('\n')}\n✓ wrote the adapter of "${o.id}" into ${displayPath(o.written)}\n`;
  const stanza = stringify([{ id: o.id, name: o.name, ...(o.region && { region: o.region }), adapter: r.adapter }], { lineWidth: 0 });
  const regionHint = o.region ? '' : `    # region: one of ${REGIONS.join(', ')} (required)\n`;
  const [first, ...rest] = stanza.trimEnd().split('\n');
  return `${lines.join('\n')}\n✓ paste under targets:\n\n  ${first}\n${regionHint}${rest.map((l) => `  ${l}`).join('\n')}\n`;
}
