/**
 * The domain of govbench, defined once. Every part imports these types; none redefines them.
 * Shapes read from files are validated by the schemas in `src/banks` and `src/config`; past that
 * boundary the code trusts these types.
 */

export * from './bank.js';
export * from './target.js';
export * from './results.js';
export * from './store.js';
export * from './failures.js';
export * from './scenario.js';
export * from './evaluation-aspects.js';
export * from './probe.js';
