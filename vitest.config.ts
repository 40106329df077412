import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'flows/**/*.test.ts', 'functions/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Ceilings for a stuck test, not performance checks (those are `npm run bench`): on two shared cores a
    // whole flow through the API has taken over 30 s while browsers and Java ran beside it.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // Two cores: one worker per core keeps DynamoDB Local (Java) responsive.
    maxWorkers: 2,
  },
});
