import type { ViteUserConfig } from 'vitest/config';

/**
 * Nothing here may write under node_modules/: npm takes any change there (even a new dot folder)
 * as a tree out of date with its lockfile, and `npx govbench` then asks the registry (17 s)
 * instead of running the local bin. Hence the cache in a git-ignored folder, and CommonJS: Vite
 * loads an ES-module config by writing it to node_modules/.vite-temp first, a CommonJS one in memory.
 */
const config: ViteUserConfig = {
  cacheDir: '.cache/vite',
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
};

export default config;
