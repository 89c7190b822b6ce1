import { defineConfig, devices } from '@playwright/test';

const PORT = 4173;

/**
 * End-to-end tests of the screens in Debian's Chromium, against the built app with a
 * mocked engine (see e2e/harness). The web server builds both the shipped bundle (which a
 * test checks is free of the mocks) and the harness, then serves the harness.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/playwright',
  reporter: 'list',
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  fullyParallel: true,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL: `http://localhost:${PORT}`,
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: 'light',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1100, height: 760 } },
    },
  ],
  webServer: {
    command: `npm run build && npm run build:e2e && npx vite preview --mode e2e --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}/e2e/harness/`,
    // Always build and serve afresh: a server left running would serve a stale bundle.
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
