import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * The UI's speed benchmarks (`e2e/*.bench.ts`): the same Chromium, harness and mocked
 * engine as the screen tests, one test at a time so that nothing else competes for the
 * machine while frames are counted. Run: `npx playwright test -c playwright.bench.config.ts`.
 */
export default defineConfig({
  ...base,
  testMatch: '*.bench.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 180_000,
  // No trace recording: it snapshots the page around each action, inside the figures.
  use: { ...base.use, trace: 'off' },
});
