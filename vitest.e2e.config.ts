import { defineConfig } from 'vitest/config';

// Journeys drive Debian's Chromium through playwright-core against a real server.
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
