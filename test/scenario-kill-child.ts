/**
 * A scenario run in a process of its own, for the kill test: `<bank dir> <db> <bot url> [resume run id]`.
 * Prints nothing; the test watches the database.
 */
import { runBenchmark } from '../src/runner/run.js';
import { openStore } from '../src/store/index.js';
import { echoJudge } from './helpers.js';
import { bankWithScenarios, botTarget, scriptedCitizen } from './helpers-scenarios.js';

const [dir, db, url, resume] = process.argv.slice(2) as [string, string, string, string | undefined];
const store = openStore(db);
const banks = { ...bankWithScenarios(dir, 12), questions: [] };
await runBenchmark({
  store,
  banks,
  targets: [botTarget('bot', url, 3)],
  judges: [echoJudge],
  judgeMode: 'matcher',
  citizens: [scriptedCitizen()],
  ...(resume ? { resume } : { runId: 'r-kill' }),
});
store.close();
