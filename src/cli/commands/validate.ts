import { readFileSync } from 'node:fs';
import { bankWarnings } from '../../banks/bank-warnings.js';
import { DEFAULT_BANK_DIR, loadBanks } from '../../banks/load-banks.js';
import { DEFAULT_PROBE_DIR, loadProbes } from '../../banks/load-probes.js';
import { locateChromium } from '../../adapters/utils/chromium.js';
import { loadTargets } from '../../config/load-targets.js';
import { UserError } from '../../util/errors.js';
import { expandYamlPaths } from '../../util/yaml-file.js';

const DEFAULT_PATHS = [DEFAULT_BANK_DIR, DEFAULT_PROBE_DIR, 'targets'];

type Kind = 'bank' | 'targets' | 'probes';

/** A registry holds `targets:` at top level, a red-team pack `probes:`; anything else is read as a bank. */
function kindOf(file: string): Kind {
  const text = readFileSync(file, 'utf8');
  if (/^probes\s*:/m.test(text)) return 'probes';
  return /^(targets|defaults|personas)\s*:/m.test(text) ? 'targets' : 'bank';
}


/**
 * Checks banks (all given bank files together, as a run would load them) and each targets registry.
 * Every problem is printed with its position; targets without an endpoint are listed, not failed, and
 * so are banks citing a repealed source or not reviewed for a year, and reference answers the matcher
 * fails (a bank bug that would fail right answers too).
 * Ends with the browser web-widget targets would be driven in; having none fails only when a
 * registry has such targets.
 */
export async function validateCommand(paths: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const files = expandYamlPaths(paths.length > 0 ? paths : DEFAULT_PATHS, 'bank or targets');
  const bankFiles = files.filter((f) => kindOf(f) === 'bank');
  const targetFiles = files.filter((f) => kindOf(f) === 'targets');
  const problems: string[] = [];
  let widgetTargets = 0;

  if (bankFiles.length > 0) {
    try {
      const banks = loadBanks(bankFiles);
      const phrasings = banks.questions.reduce((n, q) => n + (q.turns ? 1 : 1 + q.variants.length), 0);
      const scripts = banks.questions.filter((q) => q.turns).length;
      out(
        `ok  banks: ${bankFiles.length} files, ${banks.matters.length} matters, ${banks.intents.length} intents, ` +
          `${banks.questions.length} questions (${scripts} multi-turn), ${phrasings} phrasings` +
          `${banks.scenarios.length > 0 ? `, ${banks.scenarios.length} scenarios` : ''}\n`,
      );
      // Warnings, not failures: an old source or a late review does not make the bank unusable.
      for (const w of bankWarnings(banks)) out(`warn ${w}\n`);
      const { failingReferences, describeReferenceFailure } = await import('../../judge/reference-check.js');
      for (const f of failingReferences(banks)) out(`warn ${describeReferenceFailure(f)}\n`);
      const { scenarioWarnings } = await import('../../judge/conversation/scenario-warnings.js');
      for (const w of scenarioWarnings(banks)) out(`warn ${w}\n`);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.push(err.message);
    }
  }
  const probeFiles = files.filter((f) => kindOf(f) === 'probes');
  if (probeFiles.length > 0) {
    try {
      const { probes } = loadProbes(probeFiles);
      out(`ok  probes: ${probeFiles.length} files, ${probes.length} probes (${probes.filter((p) => p.critical).length} critical)\n`);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.push(err.message);
    }
  }
  for (const file of targetFiles) {
    try {
      const registry = loadTargets(file);
      const ready = registry.targets.length - registry.unconfigured.length;
      widgetTargets += registry.targets.filter((t) => t.adapter?.type === 'web-widget').length;
      out(`ok  ${registry.file}: ${registry.targets.length} targets, ${ready} with an endpoint\n`);
      if (registry.unconfigured.length > 0) {
        out(`    ${registry.unconfigured.length} still lack an endpoint (fill in adapter.url and adapter.reply):\n`);
        for (const t of registry.unconfigured) {
          out(`    - ${registry.file}:${t.pos.line}  ${t.id} (${t.name}, ${t.province ?? t.region})\n`);
        }
      }
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.push(err.message);
    }
  }
  try {
    out(`ok  browser: ${locateChromium().label}\n`);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    if (widgetTargets > 0) problems.push(err.message);
    else out(`--  browser: none, needed only by web-widget targets: ${err.message}\n`);
  }
  if (problems.length > 0) throw new UserError(problems.join('\n'));
}
