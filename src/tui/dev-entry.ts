import { parseArgs } from 'node:util';
import { startApp } from './app.js';

// A way into the UI until `govbench` with no arguments opens it: `node --import tsx src/tui/dev-entry.ts --db F`.
const { values } = parseArgs({
  options: { db: { type: 'string', default: 'results/govbench.db' }, reviewer: { type: 'string' } },
});
process.exitCode = await startApp({ db: values.db!, ...(values.reviewer !== undefined && { reviewer: values.reviewer }) });
